/**
 * @module The store contract: one suite of behaviours every `Store` must have, run against
 * memory, SQLite and Redis by their own `*_test.ts`. A behaviour that differs between stores
 * does not belong here; it goes in that store's test file.
 */
import assert from "node:assert/strict";
import {
  type NewEvent,
  type RetentionOptions,
  type SessionRecord,
  type Store,
  StoreError,
} from "../../src/store/store.ts";

/** Opens a fresh, empty store; `close()` releases it and whatever backs it. */
export type OpenStore = (
  options?: RetentionOptions,
) => Promise<{ store: Store; close(): Promise<void> }>;

/** A session record for tests. */
export function record(id: string, epoch = "e1"): SessionRecord {
  return { id, metadata: { owner: "test" }, createdAt: 1, epoch };
}

/** `count` events `custom:n` with `{"i": from + k}` payloads, stamped `ts`. */
export function events(count: number, from = 0, ts = 1000): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    event: "custom:n",
    data: `{"i":${from + i}}`,
    ts,
  }));
}

/** The seqs of stored events. */
export const seqs = (stored: { seq: number }[]): number[] => stored.map((e) => e.seq);

/** Registers the contract's tests for the store `name` opens. */
export function storeContract(name: string, open: OpenStore): void {
  const test = (title: string, fn: (store: Store) => Promise<void>, options?: RetentionOptions) =>
    Deno.test(`${name}: ${title}`, async () => {
      const { store, close } = await open(options);
      try {
        await fn(store);
      } finally {
        await close();
      }
    });

  test("append() assigns consecutive seqs from 1 per session", async (store) => {
    await store.createSession(record("a"));
    await store.createSession(record("b"));
    assert.equal(await store.head("a"), 0);
    assert.deepEqual(seqs(await store.append("a", events(3))), [1, 2, 3]);
    assert.deepEqual(seqs(await store.append("b", events(2))), [1, 2], "b counts on its own");
    const [fourth] = await store.append("a", [{ event: "chat:message", data: '{"t":"x"}', ts: 7 }]);
    assert.deepEqual(fourth, { seq: 4, event: "chat:message", data: '{"t":"x"}', ts: 7 });
    assert.equal(await store.head("a"), 4);
    assert.equal(await store.head("b"), 2);
    assert.equal(await store.head("nobody"), 0);
    assert.deepEqual(seqs(await store.append("a", [])), [], "an empty append stores nothing");
    assert.equal(await store.head("a"), 4);
  });

  test("appends issued together resolve in order with unique consecutive seqs", async (store) => {
    const sessions = ["s0", "s1", "s2"];
    for (const id of sessions) await store.createSession(record(id));
    const pending = Array.from({ length: 150 }, (_, i) => store.append(sessions[i % 3], events(1)));
    const results = await Promise.all(pending);
    for (const [index, id] of sessions.entries()) {
      const got = results.filter((_, i) => i % 3 === index).map((r) => r[0].seq);
      assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => i + 1), `session ${id}`);
      assert.equal(await store.head(id), 50);
    }
  });

  test("append() to an unknown session rejects as gone", async (store) => {
    await assert.rejects(
      store.append("nobody", events(1)),
      (error: unknown) => error instanceof StoreError && error.reason === "gone",
    );
  });

  test("append() with expectedHead stores only if the head is unchanged", async (store) => {
    await store.createSession(record("a"));
    assert.deepEqual(seqs(await store.append("a", events(2), { expectedHead: 0 })), [1, 2]);
    await assert.rejects(
      store.append("a", events(1), { expectedHead: 1, state: { lost: true } }),
      (error: unknown) =>
        error instanceof StoreError && error.reason === "conflict" && error.head === 2,
    );
    assert.equal(await store.head("a"), 2, "a refused append stores nothing");
    assert.equal((await store.loadSession("a"))?.state, undefined, "nor its state");
    assert.deepEqual(seqs(await store.append("a", events(1), { expectedHead: 2 })), [3]);
  });

  test("read() returns events after a seq, up to a limit", async (store) => {
    await store.createSession(record("a"));
    await store.append("a", events(10));
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(seqs(await store.read("a", 3, 4)), [4, 5, 6, 7]);
    assert.deepEqual(seqs(await store.read("a", 8, 100)), [9, 10]);
    assert.deepEqual(seqs(await store.read("a", 10, 100)), []);
    assert.deepEqual(seqs(await store.read("a", 99, 100)), []);
    assert.deepEqual(await store.read("nobody", 0, 100), []);
    const [third] = await store.read("a", 2, 1);
    assert.equal(third.data, '{"i":2}', "payload text is kept as given");
    assert.equal(third.ts, 1000);
  });

  test("createSession() stores a copy; a duplicate id resolves false", async (store) => {
    const first = record("a", "e1");
    assert.equal(await store.createSession(first), true);
    first.metadata.owner = "changed after the fact";
    assert.equal(await store.createSession(record("a", "e2")), false);
    const [listed] = await store.listSessions();
    assert.equal(listed.id, "a");
    assert.equal(listed.epoch, "e1", "the first record stays");
    assert.deepEqual(listed.metadata, { owner: "test" });
    assert.equal(listed.createdAt, 1);
    assert.equal(listed.head, 0);
    assert.equal(listed.state, undefined);
  });

  test("sessions keep their head and the last state stored with an append", async (store) => {
    await store.createSession(record("a"));
    await store.createSession(record("b"));
    await store.append("b", events(2), { state: { state: "running", n: [1] } });
    await store.append("b", events(1));
    const listed = await store.listSessions();
    assert.deepEqual(listed.map((s) => [s.id, s.head]).sort(), [["a", 0], ["b", 3]]);
    const b = await store.loadSession("b");
    assert.equal(b?.head, 3);
    assert.equal(b?.epoch, "e1");
    assert.deepEqual(b?.state, { state: "running", n: [1] }, "an append without state keeps it");
    assert.equal(await store.loadSession("nobody"), undefined);
  });

  test("deleteSession() forgets the record and the stream; a new one starts at 1", async (store) => {
    await store.createSession(record("a"));
    await store.createSession(record("b", "old"));
    await store.append("b", events(3));
    assert.equal(await store.deleteSession("b"), true);
    assert.equal(await store.deleteSession("b"), false);
    assert.equal(await store.deleteSession("nobody"), false);
    assert.deepEqual((await store.listSessions()).map((s) => s.id), ["a"]);
    assert.equal(await store.head("b"), 0);
    assert.deepEqual(await store.read("b", 0, 10), []);
    await assert.rejects(store.append("b", events(1)), StoreError);
    assert.equal(await store.createSession(record("b", "new")), true);
    assert.deepEqual(seqs(await store.append("b", events(1))), [1]);
    assert.equal((await store.loadSession("b"))?.epoch, "new");
  });

  test("reads never serve more than maxEventsPerSession, the head counts all", async (store) => {
    await store.createSession(record("a"));
    await store.append("a", events(5));
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [3, 4, 5]);
    assert.deepEqual(seqs(await store.read("a", 3, 100)), [4, 5]);
    assert.equal(await store.head("a"), 5);
    assert.deepEqual(seqs(await store.append("a", events(1))), [6]);
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [4, 5, 6]);
    for (let i = 0; i < 20; i++) await store.append("a", events(1));
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [24, 25, 26]);
    await store.trim();
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [24, 25, 26], "trim() keeps the newest");
  }, { maxEventsPerSession: 3 });

  test("trim() drops events older than maxAgeMs", async (store) => {
    await store.createSession(record("t"));
    await store.append("t", events(3, 0, 1_000));
    await store.append("t", events(2, 3, 9_000));
    assert.equal(await store.trim(10_000), 3);
    assert.deepEqual(seqs(await store.read("t", 0, 10)), [4, 5]);
    assert.equal(await store.trim(10_000), 0);
    assert.equal(await store.head("t"), 5);
    assert.deepEqual(seqs(await store.append("t", events(1, 5, 11_000))), [6]);
  }, { maxAgeMs: 5_000 });

  test("putSkill() stores or replaces a skill; listSkills() returns them all", async (store) => {
    assert.deepEqual(await store.listSkills(), []);
    await store.putSkill("lint", { name: "lint", description: "Lints" });
    await store.putSkill("fmt", { name: "fmt", description: "Formats" });
    await store.putSkill("lint", { name: "lint", description: "Lints better" });
    const skills = await store.listSkills();
    assert.deepEqual(
      skills.sort((a, b) => String(a.name).localeCompare(String(b.name))),
      [{ name: "fmt", description: "Formats" }, { name: "lint", description: "Lints better" }],
    );
  });

  test("close() twice is harmless", async (store) => {
    await store.close();
    await store.close();
  });
}
