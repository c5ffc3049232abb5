/**
 * @module Two (or more) Switchboard nodes in this process sharing one real Redis, each a full
 * server on its own loopback port, plus a check that a stream is exactly 1..n in order.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../../src/mod.ts";
import { type Frame, startTestServer } from "../../_helpers.ts";
import { type RedisServer, startRedis } from "../_redis_server.ts";

/** A Redis and the nodes sharing it. */
export interface Cluster {
  redis: RedisServer;
  nodes: RunningServer[];
  /** Closes the nodes, then Redis. */
  close(): Promise<void>;
}

/** Starts Redis and `count` nodes on it. */
export async function startCluster(count = 2, config = {}): Promise<Cluster> {
  const redis = await startRedis();
  const nodes: RunningServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(await startTestServer({ store: redis.url, ...config }));
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.close()));
    await redis.close();
    throw error;
  }
  return {
    redis,
    nodes,
    async close() {
      await Promise.all(nodes.map((n) => n.close()));
      await redis.close();
    },
  };
}

/** Asserts the frames are seqs `from..to`, each once, in order. */
export function assertExactlyOnce(frames: Frame[], from: number, to: number, who = ""): void {
  assert.deepEqual(
    frames.map((f) => f.seq),
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
    who,
  );
}
