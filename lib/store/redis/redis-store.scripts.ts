/**
 * The Lua script of `RedisJobStore`: a batch of writes in one call. Redis runs it atomically, so
 * "close if still open" holds across replicas. Its writes apply the rules of job-state.ts (kept
 * in step by the contract tests), one after the other, in the order given.
 *
 * KEYS[1]: hash name → JSON of the job's state ({ lastTick, lastRun, runs, failures,
 * consecutiveFailures, running: { runId → start } }); KEYS[2]: sorted set of open runs by lease
 * end (members made by the caller); KEYS[3...]: history lists (newest first) of the batch's jobs.
 * ARGV[1]: the history limit; then each write as a code and its fields (see `BATCH`).
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

/**
 * One script for a batch of writes; returns each write's result (1 done, 0 not), in order.
 * - `m` name due: moves the last tick forward.
 * - `s` name runId startJSON leaseUntil due marks member: opens a run (0, and no change, when it
 *   is already the last run recorded); `marks` '1' moves the last tick to `due`.
 * - `b` name runId leaseUntil member: extends an open run's lease (0 when not open).
 * - `e` history# name runId recordJSON needle member expiredBefore: records a run's end (0 when
 *   recorded already). `history#`: the index in KEYS of the job's history; `needle`: the
 *   record's '"runId":...' text; `expiredBefore`: '' for a run's own end, a time for a reaper
 *   (close only an open run whose lease ended before it).
 */
export const BATCH = `${PRELUDE}
local limit = tonumber(ARGV[1])

local function markTick(name, due)
  local s = load(name)
  local before = s.lastTick
  mark(s, tonumber(due))
  if s.lastTick ~= before then save(name, s) end
  return 1
end

local function start(name, runId, json, leaseUntil, due, marks, member)
  local s = load(name)
  if s.lastRun and s.lastRun.runId == runId then return 0 end
  s.running[runId] = cjson.decode(json)
  if marks == '1' then mark(s, tonumber(due)) end
  save(name, s)
  redis.call('ZADD', KEYS[2], leaseUntil, member)
  return 1
end

local function beat(name, runId, leaseUntil, member)
  local s = load(name)
  local run = s.running[runId]
  if not run then return 0 end
  run.leaseUntil = tonumber(leaseUntil)
  save(name, s)
  redis.call('ZADD', KEYS[2], leaseUntil, member)
  return 1
end

local function finish(history, name, runId, json, needle, member, expiredBefore)
  local s = load(name)
  local open = s.running[runId]
  if expiredBefore ~= '' then
    if not open then redis.call('ZREM', KEYS[2], member) return 0 end
    if open.leaseUntil >= tonumber(expiredBefore) then return 0 end
  elseif not open then
    if s.lastRun and s.lastRun.runId == runId then return 0 end
    for _, entry in ipairs(redis.call('LRANGE', history, 0, -1)) do
      if string.find(entry, needle, 1, true) then return 0 end
    end
  end
  s.running[runId] = nil
  redis.call('ZREM', KEYS[2], member)
  local record = cjson.decode(json)
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
  save(name, s)
  if limit > 0 then
    redis.call('LPUSH', history, json)
    redis.call('LTRIM', history, 0, limit - 1)
  else
    redis.call('DEL', history)
  end
  return 1
end

local results = {}
local i = 2
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'm' then
    results[#results + 1] = markTick(ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 's' then
    local a = ARGV
    results[#results + 1] = start(a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7])
    i = i + 8
  elseif op == 'b' then
    results[#results + 1] = beat(ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
    i = i + 5
  elseif op == 'e' then
    local a = ARGV
    local history = KEYS[tonumber(a[i + 1])]
    results[#results + 1] = finish(history, a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7])
    i = i + 8
  else
    return redis.error_reply('core-lib-jobs store: unknown write ' .. tostring(op))
  end
end
return results`;
