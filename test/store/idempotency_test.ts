/**
 * @module The stores' optional idempotency records: kept until they expire, replaced by a later
 * put, forgotten with their session, and (SQLite) kept across a reopen.
 */
import assert from "node:assert/strict";
import { MemoryStore } from "../../src/store/memory.ts";
import { SqliteStore } from "../../src/store/sqlite.ts";
import type { Store } from "../../src/store/store.ts";

const RECORD = { fingerprint: "f", status: 201, body: '{"seqs":[1]}', expiresAt: 2000 };

async function contract(store: Store): Promise<void> {
  await store.createSession({ id: "s", metadata: {}, createdAt: 0, epoch: "e" });
  await store.putIdempotency!("s", "k", RECORD);
  assert.deepEqual(await store.getIdempotency!("s", "k", 1000), RECORD);
  assert.equal(await store.getIdempotency!("s", "k", 2000), undefined, "expired");
  assert.equal(await store.getIdempotency!("s", "other", 1000), undefined);
  assert.equal(await store.getIdempotency!("t", "k", 1000), undefined, "per session");
  await store.putIdempotency!("s", "k", { ...RECORD, status: 200 });
  assert.equal((await store.getIdempotency!("s", "k", 1000))?.status, 200);
  await store.deleteSession("s");
  assert.equal(await store.getIdempotency!("s", "k", 1000), undefined, "gone with the session");
}

Deno.test("MemoryStore keeps idempotency records", async () => {
  await contract(new MemoryStore());
});

Deno.test("SqliteStore keeps idempotency records, across a reopen", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = SqliteStore.open(`${dir}/a.db`);
    await contract(store);
    await store.createSession({ id: "u", metadata: {}, createdAt: 0, epoch: "e" });
    await store.putIdempotency("u", "k", RECORD);
    await store.close();
    const reopened = SqliteStore.open(`${dir}/a.db`);
    assert.deepEqual(await reopened.getIdempotency("u", "k", 1000), RECORD);
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
