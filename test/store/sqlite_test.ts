/**
 * @module `SqliteStore` against the store contract, plus what only it does: group commit,
 * reopening the file, counted trims and bad files.
 */
import assert from "node:assert/strict";
import { SqliteStore } from "../../src/store/sqlite.ts";
import { events, record, storeContract } from "./_contract.ts";

storeContract("SqliteStore", async (options) => {
  const dir = await Deno.makeTempDir();
  const store = SqliteStore.open(`${dir}/store.db`, options);
  return {
    store,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

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

Deno.test("SqliteStore: keeps sessions, heads, state and skills across reopen", async () => {
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

Deno.test("SqliteStore: trim() deletes past the count limit and counts what it dropped", async (t) => {
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
});

Deno.test("SqliteStore: open() names the path when the file is not a database", async () => {
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

Deno.test("SqliteStore: appends of one turn share a commit; the last state given wins", async () => {
  await withStore(async (store, path) => {
    await store.createSession(record("turn", "epoch-1"));
    // Made in one turn: one transaction writes them all, the row is updated once.
    const appends = [
      store.append("turn", events(2), { state: { state: "running" } }),
      store.append("turn", events(3), { state: { state: "paused" } }),
      store.append("turn", events(1)),
    ];
    const stored = await Promise.all(appends);
    assert.deepEqual(stored.map((s) => s.map((e) => e.seq)), [[1, 2], [3, 4, 5], [6]]);
    await store.close();
    const reopened = SqliteStore.open(path);
    try {
      const loaded = await reopened.loadSession("turn");
      assert.equal(loaded?.head, 6);
      assert.deepEqual(loaded?.state, { state: "paused" });
      assert.equal((await reopened.read("turn", 0, 10)).length, 6);
    } finally {
      await reopened.close();
    }
  });
});
