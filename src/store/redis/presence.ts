/**
 * @module Presence shared by the nodes on one Redis: each node renews a heartbeat entry (alive
 * while renewed within its TTL), and records which of its connections are attached to which
 * session. Readers see every node's attachments, ignoring those of nodes that stopped renewing,
 * so a crashed node's connections vanish within one TTL. Best effort: a failed write is
 * dropped, never an error for the client.
 */
import type { Redis } from "ioredis";
import type { AttachedConnection, NodeInfo, SharedPresence } from "../store.ts";
import { sessionKeys } from "./keys.ts";

/** Sorted set: node id scored by the time its heartbeat expires. */
const NODES_KEY = "sb:nodes";
/** Hash: node id → JSON of its last heartbeat. */
const NODE_INFO_KEY = "sb:node-info";

/** How long a heartbeat counts, in milliseconds; nodes renew at a third of it. */
export const NODE_TTL_MS = 15_000;

/** The Redis side of {@linkcode SharedPresence}. */
export class RedisPresence implements SharedPresence {
  readonly nodeId: string;
  readonly #client: Redis;
  readonly #startedAt = Date.now();
  /** This node's attachments, to remove them when it leaves. */
  readonly #mine = new Set<string>();

  /** Records presence for node `nodeId` through `client`. */
  constructor(client: Redis, nodeId: string) {
    this.#client = client;
    this.nodeId = nodeId;
  }

  attach(session: string, connection: { id: string; role: string }): void {
    const field = `${this.nodeId} ${connection.id}`;
    this.#mine.add(`${session}\n${field}`);
    this.#client.hset(attachedKey(session), field, connection.role).catch(() => {});
  }

  detach(session: string, connectionId: string): void {
    const field = `${this.nodeId} ${connectionId}`;
    this.#mine.delete(`${session}\n${field}`);
    this.#client.hdel(attachedKey(session), field).catch(() => {});
  }

  async attached(session: string): Promise<AttachedConnection[]> {
    const [entries, alive] = await Promise.all([
      this.#client.hgetall(attachedKey(session)),
      this.#aliveIds(),
    ]);
    const found: AttachedConnection[] = [];
    const dead: string[] = [];
    for (const [field, role] of Object.entries(entries)) {
      const [node, id] = field.split(" ");
      if (node === this.nodeId || alive.has(node)) found.push({ id, role, node });
      else dead.push(field);
    }
    // A crashed node cannot clean up after itself: whoever reads does.
    if (dead.length > 0) this.#client.hdel(attachedKey(session), ...dead).catch(() => {});
    return found;
  }

  async heartbeat(gauges: { connections: number }): Promise<void> {
    const now = Date.now();
    const info: NodeInfo = {
      id: this.nodeId,
      connections: gauges.connections,
      startedAt: new Date(this.#startedAt).toISOString(),
      seenAt: new Date(now).toISOString(),
    };
    await this.#client.multi()
      .zadd(NODES_KEY, now + NODE_TTL_MS, this.nodeId)
      .hset(NODE_INFO_KEY, this.nodeId, JSON.stringify(info))
      .exec();
  }

  async nodes(): Promise<NodeInfo[]> {
    const now = Date.now();
    const expired = await this.#client.zrangebyscore(NODES_KEY, "-inf", now);
    if (expired.length > 0) {
      await this.#client.multi().zrem(NODES_KEY, ...expired).hdel(NODE_INFO_KEY, ...expired).exec();
    }
    const ids = await this.#client.zrangebyscore(NODES_KEY, now, "+inf");
    if (ids.length === 0) return [];
    const infos = await this.#client.hmget(NODE_INFO_KEY, ...ids);
    return infos.flatMap((json) => json === null ? [] : [JSON.parse(json) as NodeInfo])
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async leave(): Promise<void> {
    const bySession = new Map<string, string[]>();
    for (const entry of this.#mine) {
      const [session, field] = entry.split("\n");
      bySession.set(session, [...bySession.get(session) ?? [], field]);
    }
    this.#mine.clear();
    const pipeline = this.#client.multi()
      .zrem(NODES_KEY, this.nodeId)
      .hdel(NODE_INFO_KEY, this.nodeId);
    for (const [session, fields] of bySession) pipeline.hdel(attachedKey(session), ...fields);
    await pipeline.exec();
  }

  async #aliveIds(): Promise<Set<string>> {
    return new Set(await this.#client.zrangebyscore(NODES_KEY, Date.now(), "+inf"));
  }
}

/** Hash of a session's attachments: `<node> <connection>` → role. */
function attachedKey(session: string): string {
  return `${sessionKeys(session).meta.slice(0, -":meta".length)}:attached`;
}
