/**
 * @module SqliteStore: seqs, group commit, reopen, state, retention, skills, bad files.
 */
import assert from "node:assert/strict";
import { SqliteStore } from "../../src/store/sqlite.ts";
import type { NewEvent, SessionRecord } from "../../src/store/store.ts";

function record(id: string, epoch = "e1"): SessionRecord {
  return { id, metadata: { owner: "test" }, createdAt: 1, epoch };
}

function events(count: number, ts = 1000): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({ event: "custom:n", data: `{"i":${i}}`, ts }));
}

async function withStore(
  fn: (store: SqliteStore, path: string) => Promise<void>,
  options = {},
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/store.db`;
  const store = SqliteStore.open(path, options);
  try {
    await fn(store, path);
  } finally {
    await store.close().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("SqliteStore.append() assigns consecutive seqs per session from 1", async () => {
  await withStore(async (store) => {
    await store.createSession(record("a"));
    await store.createSession(record("b"));
    assert.deepEqual((await store.append("a", events(3))).map((e) => e.seq), [1, 2, 3]);
    assert.deepEqual((await store.append("b", events(2))).map((e) => e.seq), [1, 2]);
    assert.deepEqual((await store.append("a", events(1))).map((e) => e.seq), [4]);
    assert.equal(await store.head("a"), 4);
    const read = await store.read("a", 1, 2);
    assert.deepEqual(read.map((e) => [e.seq, e.data]), [[2, '{"i":1}'], [3, '{"i":2}']]);
  });
});

Deno.test("SqliteStore groups appends of one turn into one transaction, in order", async () => {
  await withStore(async (store) => {
    const sessions = ["s0", "s1", "s2"];
    for (const id of sessions) await store.createSession(record(id));
    // 300 appends issued in one turn across three sessions: all resolve, seqs strictly +1.
    const pending = Array.from({ length: 300 }, (_, i) => store.append(sessions[i % 3], events(1)));
    const results = await Promise.all(pending);
    for (const [index, id] of sessions.entries()) {
      const seqs = results.filter((_, i) => i % 3 === index).map((r) => r[0].seq);
      assert.deepEqual(seqs, Array.from({ length: 100 }, (_, i) => i + 1), `session ${id}`);
      assert.equal(await store.head(id), 100);
    }
  });
});

Deno.test("SqliteStore keeps sessions, heads, state and skills across reopen", async () => {
  await withStore(async (store, path) => {
    await store.createSession(record("keep", "epoch-1"));
    assert.equal(await store.createSession(record("keep", "other")), false);
    await store.append("keep", events(5), { state: { state: "running" } });
    await store.append("keep", events(1));
    await store.putSkill("lint", { name: "lint", description: "Lints" });
    await store.close();

    const reopened = SqliteStore.open(path);
    try {
      const [loaded] = await reopened.listSessions();
      assert.equal(loaded.id, "keep");
      assert.equal(loaded.epoch, "epoch-1");
      assert.equal(loaded.head, 6);
      assert.deepEqual(loaded.metadata, { owner: "test" });
      // An append without state keeps the last stored state.
      assert.deepEqual(loaded.state, { state: "running" });
      assert.deepEqual((await reopened.append("keep", events(1))).map((e) => e.seq), [7]);
      assert.deepEqual(await reopened.listSkills(), [{ name: "lint", description: "Lints" }]);
    } finally {
      await reopened.close();
    }
  });
});

Deno.test("SqliteStore.trim() drops events past the count and age limits", async (t) => {
  await t.step("by count: the newest maxEventsPerSession stay", async () => {
    await withStore(async (store) => {
      await store.createSession(record("c"));
      await store.append("c", events(25));
      assert.equal(await store.trim(), 15);
      const left = await store.read("c", 0, 100);
      assert.deepEqual(left.map((e) => e.seq), Array.from({ length: 10 }, (_, i) => i + 16));
      assert.equal(await store.head("c"), 25);
    }, { maxEventsPerSession: 10 });
  });
  await t.step("by age: events older than maxAgeMs go", async () => {
    await withStore(async (store) => {
      await store.createSession(record("t"));
      await store.append("t", events(3, 1_000));
      await store.append("t", events(2, 9_000));
      assert.equal(await store.trim(10_000), 3);
      assert.deepEqual((await store.read("t", 0, 10)).map((e) => e.seq), [4, 5]);
    }, { maxAgeMs: 5_000 });
  });
});

Deno.test("SqliteStore.deleteSession() removes the stream; a new one starts at seq 1", async () => {
  await withStore(async (store) => {
    await store.createSession(record("d", "old"));
    await store.append("d", events(3));
    assert.equal(await store.deleteSession("d"), true);
    assert.equal(await store.deleteSession("d"), false);
    assert.deepEqual(await store.read("d", 0, 10), []);
    await assert.rejects(store.append("d", events(1)), /unknown session/);
    await store.createSession(record("d", "new"));
    assert.deepEqual((await store.append("d", events(1))).map((e) => e.seq), [1]);
  });
});

Deno.test("SqliteStore.open() names the path when the file is not a database", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/garbage.db`;
    await Deno.writeTextFile(path, "this is not a database ".repeat(100));
    assert.throws(() => SqliteStore.open(path), (error: Error) => {
      assert.match(
        error.message,
        /Cannot open store "sqlite:.*garbage\.db": file is not a database/,
      );
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
