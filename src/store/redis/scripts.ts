/**
 * @module The Lua scripts that make each write to a session atomic on the Redis server: one
 * append checks the epoch and (optionally) the expected head, assigns seqs, adds the stream
 * entries, moves the head and state, trims by count and publishes the notice, all or nothing.
 */
import type { Redis } from "ioredis";

/**
 * KEYS: meta, log. ARGV: epoch ("" = any), expected head ("" = any), state JSON ("" = keep),
 * events kept (0 = all), channel, then (event, data, ts) per event.
 * Returns `{"ok", firstSeq}`, `{"gone"}` or `{"conflict", head}`.
 */
const APPEND = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch or (ARGV[1] ~= '' and ARGV[1] ~= epoch) then return {'gone'} end
local head = tonumber(redis.call('HGET', KEYS[1], 'head'))
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= head then return {'conflict', head} end
local first = head + 1
for i = 6, #ARGV, 3 do
  head = head + 1
  redis.call('XADD', KEYS[2], head .. '-0', 'e', ARGV[i], 'd', ARGV[i + 1], 't', ARGV[i + 2])
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'head', head, 'state', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'head', head)
end
local keep = tonumber(ARGV[4])
if keep > 0 and head > keep then
  redis.call('XTRIM', KEYS[2], 'MINID', (head - keep + 1) .. '-0')
end
redis.call('PUBLISH', ARGV[5], 'a ' .. epoch .. ' ' .. head)
return {'ok', first}
`;

/** KEYS: meta. ARGV: epoch, metadata JSON, createdAt. Returns 1 if created, 0 if it existed. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'metadata', ARGV[2], 'createdAt', ARGV[3], 'head', 0)
return 1
`;

/** KEYS: meta, log. ARGV: channel. Returns 1 if it existed. */
const DELETE = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], 'd ' .. epoch)
return 1
`;

/**
 * KEYS: log. ARGV: cutoff ts. Drops entries older than the cutoff from the front, looking at
 * no more than 1000 entries per call (the next sweep continues). Returns how many went.
 */
const TRIM_AGE = `
local cutoff = tonumber(ARGV[1])
local dropped = 0
for round = 1, 10 do
  local batch = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 100)
  if #batch == 0 then return dropped end
  local keep = nil
  for _, entry in ipairs(batch) do
    local fields = entry[2]
    for j = 1, #fields, 2 do
      if fields[j] == 't' and tonumber(fields[j + 1]) >= cutoff then keep = entry[1] end
    end
    if keep then break end
  end
  if keep then return dropped + redis.call('XTRIM', KEYS[1], 'MINID', keep) end
  local last = batch[#batch][1]
  local seq = tonumber(string.match(last, '^(%d+)'))
  dropped = dropped + redis.call('XTRIM', KEYS[1], 'MINID', (seq + 1) .. '-0')
end
return dropped
`;

/** A Lua script run by its SHA1, loaded on first use and again after a server restart. */
export class LuaScript {
  readonly #source: string;
  readonly #numberOfKeys: number;
  #sha: string | undefined;

  /** Wraps `source`, which takes `numberOfKeys` keys. */
  constructor(source: string, numberOfKeys: number) {
    this.#source = source;
    this.#numberOfKeys = numberOfKeys;
  }

  /** Runs the script with `keys` and `args`. */
  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]) {
    if (keys.length !== this.#numberOfKeys) throw new RangeError("Wrong number of keys");
    this.#sha ??= await client.script("LOAD", this.#source) as string;
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted Redis without persistence of its script cache: load it again, once.
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      this.#sha = await client.script("LOAD", this.#source) as string;
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    }
  }
}

/** The scripts the Redis store runs. */
export const SCRIPTS = {
  append: new LuaScript(APPEND, 2),
  create: new LuaScript(CREATE, 1),
  delete: new LuaScript(DELETE, 2),
  trimAge: new LuaScript(TRIM_AGE, 1),
} as const;
