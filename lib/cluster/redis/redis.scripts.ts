/**
 * Lua scripts of `RedisJobLock`: Redis runs each one atomically, so no other replica can act
 * between a check and the write that follows it. The claim, extend and release scripts each take
 * a whole batch (many jobs' keys) in one call.
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
 * KEYS: tick, run of each claim. ARGV: holder, token, leaseMs, tickTtlMs of each claim.
 * Returns, per claim, three items: 1, 'won', token; or 0, 'taken', holder of the tick; or
 * 0, 'busy', token of the run in progress.
 * @internal
 */
export const CLAIM = `
local out = {}
for i = 1, #KEYS / 2 do
  local tick, run = KEYS[2 * i - 1], KEYS[2 * i]
  local a = 4 * (i - 1)
  local claimed = redis.call('GET', tick)
  local running = claimed or redis.call('GET', run)
  if claimed then
    out[#out + 1] = 0; out[#out + 1] = 'taken'; out[#out + 1] = claimed
  elseif running then
    out[#out + 1] = 0; out[#out + 1] = 'busy'; out[#out + 1] = running
  else
    redis.call('SET', tick, ARGV[a + 1], 'PX', ARGV[a + 4])
    redis.call('SET', run, ARGV[a + 2], 'PX', ARGV[a + 3])
    out[#out + 1] = 1; out[#out + 1] = 'won'; out[#out + 1] = ARGV[a + 2]
  end
end
return out`;

/**
 * KEYS: run of each lease. ARGV: leaseMs, then the token of each. Compare-and-pexpire: per
 * lease, 1 if its token still held it, else 0.
 * @internal
 */
export const EXTEND = `
local out = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i + 1] then
    out[i] = redis.call('PEXPIRE', KEYS[i], ARGV[1])
  else
    out[i] = 0
  end
end
return out`;

/**
 * KEYS: run of each lease. ARGV: the token of each. Compare-and-delete: only the holder
 * releases its lease. Returns how many were released.
 * @internal
 */
export const RELEASE = `
local released = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i] then released = released + redis.call('DEL', KEYS[i]) end
end
return released`;
