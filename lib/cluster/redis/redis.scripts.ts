/**
 * Lua scripts of `RedisJobLock`: Redis runs each one atomically, so no other replica can act
 * between a check and the write that follows it.
 */

/** KEYS: anchor. ARGV: proposed, ttlMs ('' for good). Returns the stored anchor. @internal */
export const ANCHOR = `
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1], 'NX')
else
  redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
end
return redis.call('GET', KEYS[1])`;

/**
 * KEYS: tick, run. ARGV: holder, token, leaseMs, tickTtlMs.
 * Returns {1, token} when won; {0, holder of the tick} or {0, token of the run in progress} when lost.
 * @internal
 */
export const ACQUIRE = `
local claimed = redis.call('GET', KEYS[1])
if claimed then return {0, 'tick', claimed} end
local running = redis.call('GET', KEYS[2])
if running then return {0, 'run', running} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return {1, 'run', ARGV[2]}`;

/**
 * KEYS: run. ARGV: token, leaseMs. Compare-and-pexpire: 1 if the token still held the lease.
 * @internal
 */
export const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** KEYS: run. ARGV: token. Compare-and-delete: only the holder releases its lease. @internal */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
