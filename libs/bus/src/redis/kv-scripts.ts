/**
 * Lua scripts of the Redis KV bucket. Each write is one script, so checking the revision, writing
 * the value and appending the change to the bucket's change stream happen in one atomic step.
 *
 * Layout under `hr:kv:<bucket>:`: `rev` (the bucket's revision counter), `v:<key>` (a hash of
 * value, revision and op; a DEL marker keeps op DEL), `keys` (a set indexing the keys that hold a
 * value) and `changes` (a stream of key/op/revision/value, the durable record a watch reads).
 */

/**
 * KEYS: rev, value key, keys set, changes. ARGV: mode (put|create|update), op (PUT|DEL),
 * expected revision, value, key, ttl ms (0 for none), max changes kept when there is no ttl.
 * Returns the new revision, or -1 on a compare-and-set conflict.
 */
export const WRITE_SCRIPT = `
local cur = redis.call('HMGET', KEYS[2], 'revision', 'op')
local mode = ARGV[1]
if mode == 'create' and cur[2] == 'PUT' then return -1 end
if mode == 'update' and (cur[1] == false or tonumber(cur[1]) ~= tonumber(ARGV[3])) then return -1 end
local rev = redis.call('INCR', KEYS[1])
local op = ARGV[2]
redis.call('HSET', KEYS[2], 'value', ARGV[4], 'revision', rev, 'op', op)
local ttl = tonumber(ARGV[6])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) else redis.call('PERSIST', KEYS[2]) end
if op == 'PUT' then redis.call('SADD', KEYS[3], ARGV[5]) else redis.call('SREM', KEYS[3], ARGV[5]) end
if ttl > 0 then
  local t = redis.call('TIME')
  local minid = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - ttl
  if minid < 0 then minid = 0 end
  redis.call('XADD', KEYS[4], 'MINID', minid, '*', 'key', ARGV[5], 'op', op, 'revision', rev, 'value', ARGV[4])
else
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'key', ARGV[5], 'op', op, 'revision', rev, 'value', ARGV[4])
end
return rev
`;

/**
 * KEYS: keys set. ARGV: value key prefix. Returns the keys that hold a value now, dropping from the
 * index the ones whose value expired.
 */
export const KEYS_SCRIPT = `
local out = {}
for _, k in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HGET', ARGV[1] .. k, 'op') == 'PUT' then table.insert(out, k) else redis.call('SREM', KEYS[1], k) end
end
return out
`;

/**
 * KEYS: keys set, changes. ARGV: value key prefix. Returns the last id of the change stream ('0-0'
 * when empty) then key, value, revision for every key holding a value: one atomic snapshot, so a
 * watch reading changes after that id misses nothing and doubles nothing.
 */
export const SNAPSHOT_SCRIPT = `
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local out = { '0-0' }
if #last > 0 then out[1] = last[1][1] end
for _, k in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local e = redis.call('HMGET', ARGV[1] .. k, 'value', 'revision', 'op')
  if e[3] == 'PUT' then
    table.insert(out, k)
    table.insert(out, e[1])
    table.insert(out, e[2])
  end
end
return out
`;
