/**
 * @module `RedisStore` against the store contract on a real `redis-server`, plus what only it
 * does: another instance sees the same data, the stream layout, notices between instances,
 * and failing fast while Redis is away.
 */
import assert from "node:assert/strict";
import { RedisStore } from "../../../src/store/redis/store.ts";
import { StoreError, type StoreNotice } from "../../../src/store/store.ts";
import { events, record, seqs, storeContract } from "../_contract.ts";
import { startRedis } from "../_redis_server.ts";
import { waitFor } from "../../_helpers.ts";

storeContract("RedisStore", async (options) => {
  const redis = await startRedis();
  const store = await RedisStore.open(redis.url, options);
  return {
    store,
    async close() {
      await store.close();
      await redis.close();
    },
  };
});

Deno.test("RedisStore: two instances share streams; each hears the other's appends", async () => {
  const redis = await startRedis();
  const a = await RedisStore.open(redis.url);
  const b = await RedisStore.open(redis.url);
  try {
    await a.createSession(record("s", "ep"));
    const heard: StoreNotice[] = [];
    const stop = b.watch("s", (notice) => heard.push(notice));
    await waitFor(() => heard.find((n) => n.kind === "resync"), "the subscription");
    assert.deepEqual(seqs(await a.append("s", events(2), { epoch: "ep" })), [1, 2]);
    assert.deepEqual(seqs(await b.append("s", events(1), { epoch: "ep" })), [3]);
    await waitFor(
      () => heard.filter((n) => n.kind === "append").length >= 2 || undefined,
      "notices",
    );
    assert.deepEqual(heard.filter((n) => n.kind === "append"), [
      { kind: "append", epoch: "ep", head: 2 },
      { kind: "append", epoch: "ep", head: 3 },
    ]);
    assert.deepEqual(seqs(await b.read("s", 0, 10)), [1, 2, 3]);
    assert.equal((await b.loadSession("s"))?.head, 3);
    await a.deleteSession("s");
    await waitFor(() => heard.find((n) => n.kind === "deleted"), "the delete notice");
    stop();
  } finally {
    await a.close();
    await b.close();
    await redis.close();
  }
});

Deno.test("RedisStore: an append for another epoch of the session is refused as gone", async () => {
  const redis = await startRedis();
  const store = await RedisStore.open(redis.url);
  try {
    await store.createSession(record("s", "new"));
    await assert.rejects(
      store.append("s", events(1), { epoch: "old" }),
      (error: unknown) => error instanceof StoreError && error.reason === "gone",
    );
    assert.equal(await store.head("s"), 0);
  } finally {
    await store.close();
    await redis.close();
  }
});

Deno.test("RedisStore: while Redis is away commands fail fast as unavailable", async () => {
  const redis = await startRedis();
  const store = await RedisStore.open(redis.url, { commandTimeoutMs: 2000 });
  try {
    await store.createSession(record("s"));
    await store.append("s", events(1));
    assert.equal(store.available, true);
    await redis.stop();
    await waitFor(() => store.available ? undefined : true, "the store to notice");
    const started = Date.now();
    await assert.rejects(
      store.append("s", events(1)),
      (error: unknown) => error instanceof StoreError && error.reason === "unavailable",
    );
    await assert.rejects(store.read("s", 0, 10), StoreError);
    assert.ok(Date.now() - started < 1500, "no waiting for the 5 s command timeout");
    await redis.start();
    await waitFor(() => store.available || undefined, "the reconnect", 10_000);
    assert.deepEqual(seqs(await store.append("s", events(1))), [2], "the AOF kept seq 1");
  } finally {
    await store.close();
    await redis.close();
  }
});

Deno.test("RedisStore.open() fails at once, naming the URL without its password", async () => {
  const redis = await startRedis();
  const url = `redis://user:hunter2@127.0.0.1:${redis.port}`;
  await redis.close();
  await assert.rejects(RedisStore.open(url, { connectTimeoutMs: 1000 }), (error: Error) => {
    assert.match(error.message, /Cannot open store "redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+"/);
    assert.doesNotMatch(error.message, /hunter2/);
    return true;
  });
});
