/**
 * @module The opt-in wait before an ack: `?waitReplicas=N` acknowledges an append only once N
 * replicas have it (a shortfall is a retryable STORE_UNAVAILABLE, the event being stored
 * anyway); `?waitAof=1` needs a Redis with WAITAOF and says so at start-up otherwise.
 */
import assert from "node:assert/strict";
import { RedisStore } from "../../../src/store/redis/store.ts";
import { StoreError } from "../../../src/store/store.ts";
import { events, record, seqs } from "../_contract.ts";
import { startRedis } from "../_redis_server.ts";

Deno.test("RedisStore ?waitReplicas=1 acks after a replica has the append, refuses without one", async () => {
  // No 5 s pause before the replica's first sync.
  const primary = await startRedis({ args: ["--repl-diskless-sync-delay", "0"] });
  const replica = await startRedis({ args: ["--replicaof", "127.0.0.1", String(primary.port)] });
  const patient = await RedisStore.open(`${primary.url}?waitReplicas=1&waitTimeoutMs=4000`);
  const hasty = await RedisStore.open(`${primary.url}/0?waitReplicas=1&waitTimeoutMs=200`);
  try {
    await patient.createSession(record("s"));
    assert.deepEqual(seqs(await patient.append("s", events(2))), [1, 2]);
    await replica.stop("SIGKILL"); // SIGTERM waits while a fresh replica writes its AOF
    await assert.rejects(
      hasty.append("s", events(1)),
      (error: unknown) =>
        error instanceof StoreError && error.reason === "unavailable" &&
        /not confirmed in time \(on 0 of 1 replicas\)/.test(error.message),
    );
    assert.equal(await hasty.head("s"), 3, "the append itself happened");
  } finally {
    await patient.close();
    await hasty.close();
    await replica.close();
    await primary.close();
  }
});

Deno.test("RedisStore ?waitAof=1 works on Redis 7.2+ and fails at start-up before", async () => {
  const redis = await startRedis();
  try {
    const version = new TextDecoder().decode(
      (await new Deno.Command("redis-server", { args: ["--version"] }).output()).stdout,
    );
    const [major, minor] = /v=(\d+)\.(\d+)/.exec(version)!.slice(1).map(Number);
    if (major > 7 || (major === 7 && minor >= 2)) {
      const store = await RedisStore.open(`${redis.url}?waitAof=1`);
      await store.createSession(record("s"));
      assert.deepEqual(seqs(await store.append("s", events(1))), [1]);
      await store.close();
    } else {
      await assert.rejects(
        RedisStore.open(`${redis.url}?waitAof=1`),
        /Cannot open store "redis:\/\/127\.0\.0\.1:\d+": waitAof needs Redis 7\.2 or later/,
      );
    }
    await assert.rejects(RedisStore.open(`${redis.url}?waitReplicas=some`), TypeError);
    await assert.rejects(
      RedisStore.open(`${redis.url}?waitReplicas=1&waitTimeoutMs=9000`),
      TypeError,
    );
  } finally {
    await redis.close();
  }
});
