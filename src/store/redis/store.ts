/**
 * @module The Redis store, shared by several Switchboard nodes: one stream per session whose
 * entry IDs are the seqs (`<seq>-0`), a hash with the head, epoch and state, one Lua script per
 * write, and pub/sub notices so the other nodes learn about appends (see `fan_out.ts`).
 */
import type { Redis } from "ioredis";
import {
  type AppendOptions,
  DEFAULT_MAX_EVENTS,
  type IdempotencyRecord,
  type LoadedSession,
  type NewEvent,
  type RetentionOptions,
  type SessionRecord,
  type Store,
  type StoredEvent,
  StoreError,
  type StoreNotice,
} from "../store.ts";
import { connectRedis, redactUrl, type RedisConnectOptions } from "./connection.ts";
import { RedisFanOut } from "./fan_out.ts";
import { sessionKeys, SESSIONS_KEY, SKILLS_KEY } from "./keys.ts";
import { SCRIPTS } from "./scripts.ts";
import { RedisPresence } from "./presence.ts";
import { RedisIdempotency } from "./idempotency.ts";
import { RedisStats } from "./stats.ts";
import { checkWaitPolicy, confirmAppend, parseWaitPolicy, type WaitPolicy } from "./durability.ts";

/** Options of {@linkcode RedisStore.open}. */
export interface RedisStoreOptions extends RetentionOptions, RedisConnectOptions {}

/** Redis error replies that mean "not now" rather than "never". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)/;

type StreamEntry = [id: string, fields: string[]];

/** Least time Redis keeps a REST idempotency record, whatever its (possibly fake) expiry. */
const MIN_RECORD_TTL_MS = 3_600_000;

/** Sessions trimmed at once by {@linkcode RedisStore.trim}. */
const TRIM_CONCURRENCY = 32;

/** A {@linkcode Store} in Redis that any number of nodes share. */
export class RedisStore implements Store {
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #fanOut: RedisFanOut;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;
  #closed = false;
  /** Who is attached where, and which nodes are alive. */
  readonly presence: RedisPresence;
  /** Idempotency keys shared by the nodes. */
  readonly idempotency: RedisIdempotency;
  /** What this node's store has done, for `/metrics`. */
  readonly stats: RedisStats;

  readonly #wait: WaitPolicy | undefined;

  private constructor(
    client: Redis,
    subscriber: Redis,
    options: RedisStoreOptions & { wait?: WaitPolicy },
  ) {
    this.#client = client;
    this.#wait = options.wait;
    this.#subscriber = subscriber;
    this.stats = new RedisStats(client, subscriber);
    this.#fanOut = new RedisFanOut(subscriber, this.stats);
    this.presence = new RedisPresence(client, crypto.randomUUID().slice(0, 8));
    this.idempotency = new RedisIdempotency(client);
    this.#maxEvents = options.maxEventsPerSession ?? DEFAULT_MAX_EVENTS;
    this.#maxAgeMs = options.maxAgeMs ?? 0;
    if (!(this.#maxEvents >= 1)) throw new RangeError("maxEventsPerSession must be at least 1");
  }

  /**
   * Connects to `spec` (`redis://…` or `rediss://…`, with optional `waitReplicas`, `waitAof`
   * and `waitTimeoutMs` parameters, see `durability.ts`); fails if Redis cannot be reached or
   * cannot honour the wait asked for.
   */
  static async open(spec: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const { url, wait } = parseWaitPolicy(spec);
    const { client, subscriber } = await connectRedis(url, options);
    try {
      await checkWaitPolicy(client, wait);
    } catch (cause) {
      client.disconnect();
      subscriber.disconnect();
      throw new Error(`Cannot open store "${redactUrl(url)}": ${(cause as Error).message}`, {
        cause,
      });
    }
    return new RedisStore(client, subscriber, { ...options, wait });
  }

  /** `false` while the command connection is down. */
  get available(): boolean {
    return this.#client.status === "ready";
  }

  async append(
    session: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const keys = sessionKeys(session);
    const args: (string | number)[] = [
      options.epoch ?? "",
      options.expectedHead ?? "",
      options.state === undefined ? "" : JSON.stringify(options.state),
      this.#maxEvents,
      keys.channel,
    ];
    for (const e of events) args.push(e.event, e.data, e.ts);
    const reply = await this.#call(() =>
      SCRIPTS.append.run(this.#client, [keys.meta, keys.log], args)
    ) as [string, number?];
    this.stats.appends++;
    if (reply[0] === "gone") {
      throw new StoreError("gone", `Cannot append to unknown session "${session}"`);
    }
    if (reply[0] === "conflict") {
      this.stats.appendConflicts++;
      throw new StoreError(
        "conflict",
        `Session "${session}" is at ${reply[1]}, not ${options.expectedHead}`,
        {
          head: Number(reply[1]),
        },
      );
    }
    if (this.#wait) await this.#call(() => confirmAppend(this.#client, this.#wait!));
    const first = Number(reply[1]);
    this.stats.eventsAppended += events.length;
    return events.map((e, i) => ({ seq: first + i, event: e.event, data: e.data, ts: e.ts }));
  }

  async read(session: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    if (limit <= 0) return [];
    const { log } = sessionKeys(session);
    const entries = await this.#call(() =>
      this.#client.xrange(log, `${Math.max(0, afterSeq) + 1}-0`, "+", "COUNT", limit)
    ) as StreamEntry[];
    this.stats.streamReads++;
    this.stats.eventsRead += entries.length;
    return entries.map(toStoredEvent);
  }

  async head(session: string): Promise<number> {
    const head = await this.#call(() => this.#client.hget(sessionKeys(session).meta, "head"));
    return head === null ? 0 : Number(head);
  }

  async createSession(record: SessionRecord): Promise<boolean> {
    const created = await this.#call(() =>
      SCRIPTS.create.run(this.#client, [sessionKeys(record.id).meta], [
        record.epoch,
        JSON.stringify(record.metadata),
        record.createdAt,
      ])
    );
    // The index lives in another slot, so it is written apart; listSessions() skips strays.
    await this.#call(() => this.#client.sadd(SESSIONS_KEY, record.id));
    return created === 1;
  }

  async listSessions(): Promise<LoadedSession[]> {
    const ids = await this.#call(() => this.#client.smembers(SESSIONS_KEY));
    const loaded = await Promise.all(ids.map((id) => this.loadSession(id)));
    return loaded.filter((s): s is LoadedSession => s !== undefined);
  }

  async loadSession(session: string): Promise<LoadedSession | undefined> {
    const hash = await this.#call(() => this.#client.hgetall(sessionKeys(session).meta));
    if (hash.epoch === undefined) return undefined;
    return {
      id: session,
      epoch: hash.epoch,
      metadata: JSON.parse(hash.metadata ?? "{}"),
      createdAt: Number(hash.createdAt),
      head: Number(hash.head ?? 0),
      ...(hash.state === undefined ? {} : { state: JSON.parse(hash.state) }),
    };
  }

  async deleteSession(session: string): Promise<boolean> {
    const keys = sessionKeys(session);
    const existed = await this.#call(() =>
      SCRIPTS.delete.run(this.#client, [keys.meta, keys.log], [keys.channel])
    );
    await this.#call(() => this.#client.srem(SESSIONS_KEY, session));
    return existed === 1;
  }

  async trim(now = Date.now()): Promise<number> {
    const sessions = await this.#call(() => this.#client.smembers(SESSIONS_KEY));
    let dropped = 0;
    // A few sessions at a time: many round trips in flight, but a bounded number.
    for (let i = 0; i < sessions.length; i += TRIM_CONCURRENCY) {
      const chunk = sessions.slice(i, i + TRIM_CONCURRENCY);
      const counts = await Promise.all(chunk.map((session) => this.#trimSession(session, now)));
      dropped += counts.reduce((sum, n) => sum + n, 0);
    }
    return dropped;
  }

  /** Trims one stream: by count (only needed if the limit was lowered) and by age. */
  async #trimSession(session: string, now: number): Promise<number> {
    const { meta, log } = sessionKeys(session);
    let dropped = 0;
    const head = Number(await this.#call(() => this.#client.hget(meta, "head")) ?? 0);
    if (head > this.#maxEvents) {
      const minId = `${head - this.#maxEvents + 1}-0`;
      dropped += await this.#call(() => this.#client.xtrim(log, "MINID", minId));
    }
    if (this.#maxAgeMs > 0) {
      const cutoff = now - this.#maxAgeMs;
      dropped += Number(await this.#call(() => SCRIPTS.trimAge.run(this.#client, [log], [cutoff])));
    }
    return dropped;
  }

  async putSkill(name: string, skill: Record<string, unknown>): Promise<void> {
    await this.#call(() => this.#client.hset(SKILLS_KEY, name, JSON.stringify(skill)));
  }

  async listSkills(): Promise<Record<string, unknown>[]> {
    const skills = await this.#call(() => this.#client.hgetall(SKILLS_KEY));
    return Object.keys(skills).sort().map((name) => JSON.parse(skills[name]));
  }

  async putIdempotency(session: string, key: string, record: IdempotencyRecord): Promise<void> {
    const epoch = await this.#call(() => this.#client.hget(sessionKeys(session).meta, "epoch"));
    if (epoch === null) return;
    // Expiry is judged on read against the caller's clock; Redis only has to drop it later.
    const ttl = Math.max(record.expiresAt - Date.now(), MIN_RECORD_TTL_MS);
    const name = recordKey(session, epoch, key);
    await this.#call(() => this.#client.set(name, JSON.stringify(record), "PX", ttl));
  }

  async getIdempotency(
    session: string,
    key: string,
    now: number,
  ): Promise<IdempotencyRecord | undefined> {
    // The epoch in the key name: a session deleted and created again starts with none.
    const epoch = await this.#call(() => this.#client.hget(sessionKeys(session).meta, "epoch"));
    if (epoch === null) return undefined;
    const json = await this.#call(() => this.#client.get(recordKey(session, epoch, key)));
    const record = json === null ? undefined : JSON.parse(json) as IdempotencyRecord;
    return record && record.expiresAt > now ? record : undefined;
  }

  watch(session: string, listener: (notice: StoreNotice) => void): () => void {
    return this.#fanOut.watch(sessionKeys(session).channel, listener);
  }

  /** Closes both connections; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fanOut.close();
    await this.presence.leave().catch(() => {});
    await Promise.all(
      [this.#client, this.#subscriber].map((c) => c.quit().catch(() => c.disconnect())),
    );
  }

  /** Runs a command, turning "Redis is away" into a `StoreError` of reason `"unavailable"`. */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      const error = cause as Error;
      if (error.name === "ReplyError" && !TRANSIENT_REPLY.test(error.message)) throw error;
      this.stats.unavailable++;
      throw new StoreError("unavailable", `Redis is unavailable: ${error.message}`, { cause });
    }
  }
}

/** Where a REST idempotency record of one incarnation of a session lives. */
function recordKey(session: string, epoch: string, key: string): string {
  return `${sessionKeys(session).meta.slice(0, -":meta".length)}:rest-idem:${epoch}:${key}`;
}

/** A stream entry as a stored event. */
function toStoredEvent([id, fields]: StreamEntry): StoredEvent {
  const values: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) values[fields[i]] = fields[i + 1];
  return {
    seq: Number(id.slice(0, id.indexOf("-"))),
    event: values.e,
    data: values.d,
    ts: Number(values.t),
  };
}
