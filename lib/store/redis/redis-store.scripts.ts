/**
 * Lua scripts of `RedisJobStore`. Redis runs each atomically, so "close if still open" holds
 * across replicas. They apply the rules of job-state.ts (kept in step by the contract tests).
 *
 * KEYS[1]: hash name → JSON of the job's state ({ lastTick, lastRun, runs, failures,
 * consecutiveFailures, running: { runId → start } }); KEYS[2]: sorted set of open runs by lease
 * end (members made by the caller); KEYS[3]: the job's history list, newest first.
 */
const PRELUDE = `
local function load(name)
  local raw = redis.call('HGET', KEYS[1], name)
  local s = raw and cjson.decode(raw) or { runs = 0, failures = 0, consecutiveFailures = 0 }
  s.running = s.running or {}
  return s
end
local function save(name, s)
  if next(s.running) == nil then s.running = nil end
  redis.call('HSET', KEYS[1], name, cjson.encode(s))
end
local function mark(s, due)
  if s.lastTick == nil or due > s.lastTick then s.lastTick = due end
end
`;

/** ARGV: name, due. */
export const MARK_TICK = `${PRELUDE}
local s = load(ARGV[1])
local before = s.lastTick
mark(s, tonumber(ARGV[2]))
if s.lastTick ~= before then save(ARGV[1], s) end
return 1`;

/**
 * ARGV: name, runId, start JSON, leaseUntil, due, '1' to mark the tick, member.
 * Returns 0 (and changes nothing) when the run is already the last run recorded.
 */
export const RUN_STARTED = `${PRELUDE}
local s = load(ARGV[1])
if s.lastRun and s.lastRun.runId == ARGV[2] then return 0 end
s.running[ARGV[2]] = cjson.decode(ARGV[3])
if ARGV[6] == '1' then mark(s, tonumber(ARGV[5])) end
save(ARGV[1], s)
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[7])
return 1`;

/** ARGV: name, runId, leaseUntil, member. Returns 0 when the run is not open. */
export const HEARTBEAT = `${PRELUDE}
local s = load(ARGV[1])
local run = s.running[ARGV[2]]
if not run then return 0 end
run.leaseUntil = tonumber(ARGV[3])
save(ARGV[1], s)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`;

/**
 * ARGV: name, runId, record JSON, history limit, needle (the record's '"runId":...' text),
 * member, expiredBefore ('' for a run's own end; a time for a reaper: close only an open run
 * whose lease ended before it). Returns 1 when recorded, 0 when dropped (already recorded).
 */
export const RUN_ENDED = `${PRELUDE}
local s = load(ARGV[1])
local open = s.running[ARGV[2]]
if ARGV[7] ~= '' then
  if not open then redis.call('ZREM', KEYS[2], ARGV[6]) return 0 end
  if open.leaseUntil >= tonumber(ARGV[7]) then return 0 end
elseif not open then
  if s.lastRun and s.lastRun.runId == ARGV[2] then return 0 end
  for _, entry in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
    if string.find(entry, ARGV[5], 1, true) then return 0 end
  end
end
s.running[ARGV[2]] = nil
redis.call('ZREM', KEYS[2], ARGV[6])
local record = cjson.decode(ARGV[3])
if record.status ~= 'skipped' then
  s.runs = s.runs + 1
  if record.status == 'succeeded' then
    s.consecutiveFailures = 0
  else
    s.failures = s.failures + 1
    s.consecutiveFailures = s.consecutiveFailures + 1
  end
end
s.lastRun = record
save(ARGV[1], s)
local limit = tonumber(ARGV[4])
if limit > 0 then
  redis.call('LPUSH', KEYS[3], ARGV[3])
  redis.call('LTRIM', KEYS[3], 0, limit - 1)
else
  redis.call('DEL', KEYS[3])
end
return 1`;
