/**
 * @module Tests of `MemoryStore` (seqs, reads, retention, session records) and of how the hub
 * reports a resume that retention or a new epoch made impossible.
 */
import assert from "node:assert/strict";
import { MemoryStore } from "../../src/store/memory.ts";
import type { NewEvent, SessionRecord } from "../../src/store/store.ts";
import { api, startTestServer, TestSocket } from "../_helpers.ts";

function record(id: string, epoch = "e1"): SessionRecord {
  return { id, metadata: { owner: "test" }, createdAt: 1, epoch };
}

function events(count: number, from = 0, ts = 1000): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    event: "custom:n",
    data: `{"i":${from + i}}`,
    ts,
  }));
}

const seqs = (stored: { seq: number }[]) => stored.map((e) => e.seq);

Deno.test("MemoryStore.append() assigns consecutive seqs from 1 per session", async () => {
  const store = new MemoryStore();
  await store.createSession(record("a"));
  await store.createSession(record("b"));
  assert.equal(await store.head("a"), 0);
  assert.deepEqual(seqs(await store.append("a", events(3))), [1, 2, 3]);
  assert.deepEqual(seqs(await store.append("b", events(2))), [1, 2], "b counts on its own");
  const [fourth] = await store.append("a", [{
    event: "chat:message",
    data: '{"text":"x"}',
    ts: 7,
  }]);
  assert.deepEqual(fourth, { seq: 4, event: "chat:message", data: '{"text":"x"}', ts: 7 });
  assert.equal(await store.head("a"), 4);
  assert.equal(await store.head("b"), 2);
  assert.equal(await store.head("nobody"), 0);
  assert.deepEqual(seqs(await store.append("a", [])), [], "an empty append stores nothing");
  assert.equal(await store.head("a"), 4);
});

Deno.test("MemoryStore.read() returns events after a seq, up to a limit", async () => {
  const store = new MemoryStore();
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
});

Deno.test("MemoryStore keeps at most maxEventsPerSession events, dropping the oldest", async (t) => {
  await t.step("a small limit trims at once", async () => {
    const store = new MemoryStore({ maxEventsPerSession: 3 });
    await store.createSession(record("a"));
    await store.append("a", events(5));
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [3, 4, 5]);
    assert.deepEqual(seqs(await store.read("a", 3, 100)), [4, 5]);
    assert.equal(await store.head("a"), 5, "the head counts trimmed events");
    assert.deepEqual(seqs(await store.append("a", events(1))), [6]);
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [4, 5, 6]);
  });

  await t.step("a large limit never serves more than the limit", async () => {
    // One event over the limit may stay in memory for a while, but reads must not show it.
    const store = new MemoryStore({ maxEventsPerSession: 100 });
    await store.createSession(record("a"));
    for (let i = 0; i < 101; i++) await store.append("a", events(1, i));
    const kept = await store.read("a", 0, 1000);
    assert.equal(kept.length, 100);
    assert.equal(kept[0].seq, 2);
    assert.equal(kept.at(-1)!.seq, 101);
  });

  await t.step("trim() drops past the count and age limits", async () => {
    const store = new MemoryStore({ maxEventsPerSession: 100, maxAgeMs: 1000 });
    await store.createSession(record("a"));
    await store.append("a", events(2, 0, 1000));
    await store.append("a", events(2, 2, 5000));
    assert.equal(await store.trim(5500), 2);
    assert.deepEqual(seqs(await store.read("a", 0, 100)), [3, 4]);
    assert.equal(await store.trim(5500), 0);
  });

  await t.step("a limit below 1 is a programmer error", () => {
    assert.throws(() => new MemoryStore({ maxEventsPerSession: 0 }), RangeError);
  });
});

Deno.test("MemoryStore session records", async (t) => {
  const store = new MemoryStore();

  await t.step("createSession() stores a copy; a duplicate id resolves false", async () => {
    const first = record("a", "e1");
    assert.equal(await store.createSession(first), true);
    first.metadata.owner = "changed after the fact";
    assert.equal(await store.createSession(record("a", "e2")), false);
    const [listed] = await store.listSessions();
    assert.equal(listed.id, "a");
    assert.equal(listed.epoch, "e1", "the first record stays");
    assert.deepEqual(listed.metadata, { owner: "test" });
    assert.equal(listed.head, 0);
  });

  await t.step("listSessions() returns every session with its head", async () => {
    await store.createSession(record("b"));
    await store.append("b", events(2));
    const listed = await store.listSessions();
    assert.deepEqual(listed.map((s) => [s.id, s.head]).sort(), [["a", 0], ["b", 2]]);
  });

  await t.step("deleteSession() forgets the record and the stream", async () => {
    assert.equal(await store.deleteSession("b"), true);
    assert.equal(await store.deleteSession("b"), false);
    assert.equal(await store.deleteSession("nobody"), false);
    assert.deepEqual((await store.listSessions()).map((s) => s.id), ["a"]);
    assert.equal(await store.head("b"), 0);
    assert.deepEqual(await store.read("b", 0, 10), []);
  });

  await t.step("a session created again starts over at seq 1", async () => {
    assert.equal(await store.createSession(record("b", "e2")), true);
    assert.deepEqual(seqs(await store.append("b", events(1))), [1]);
  });

  await store.close();
});

Deno.test("Hub.subscribe() reports recovered:false when retention dropped the gap", async (t) => {
  const server = await startTestServer({ historyLimit: 3 });
  const socket = await TestSocket.open(server, "?role=dashboard");
  try {
    const batch = Array.from({ length: 10 }, (_, i) => ({
      event: "chat:message",
      payload: { text: `m${i + 1}` },
    }));
    const posted = await api(server, "POST", "/api/sessions/s/events", batch);
    assert.deepEqual(posted.body.seqs, Array.from({ length: 10 }, (_, i) => i + 1));

    await t.step("lastSeq inside what is kept: recovered, only the rest replayed", async () => {
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 8 },
      });
      assert.equal(ack.ok, true);
      assert.equal(ack.recovered, true);
      assert.equal(ack.replayed, 2);
      assert.equal(ack.headSeq, 10);
    });

    await t.step("lastSeq before what is kept: not recovered, the kept tail replayed", async () => {
      const from = socket.frames.length;
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2 },
      });
      assert.equal(ack.recovered, false);
      assert.equal(ack.replayed, 3);
      assert.equal(ack.headSeq, 10);
      const replayed = socket.frames.slice(from).filter((f) => f.session === "s" && f.seq);
      assert.deepEqual(replayed.map((f) => f.seq), [8, 9, 10]);
    });
  } finally {
    await socket.close();
    await server.close();
  }
});

Deno.test("Hub.subscribe() reports recovered:false when the epoch differs", async (t) => {
  const server = await startTestServer({ historyLimit: 3 });
  const socket = await TestSocket.open(server, "?role=dashboard");
  try {
    await api(server, "POST", "/api/sessions/s/events", [
      { event: "execution:started" },
      { event: "execution:halted" },
    ]);
    const { epoch } = (await api(server, "GET", "/api/sessions/s")).body.session;
    assert.equal(typeof epoch, "string");

    await t.step("the stream's own epoch: recovered, nothing to replay", async () => {
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2, epoch },
      });
      assert.equal(ack.recovered, true);
      assert.equal(ack.replayed, 0);
      assert.equal(ack.epoch, epoch);
    });

    await t.step("another epoch: not recovered, replayed from the start", async () => {
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2, epoch: `${epoch}-old` },
      });
      assert.equal(ack.recovered, false);
      assert.equal(ack.replayed, 2);
      assert.equal(ack.epoch, epoch, "the answer carries the current epoch");
    });

    await t.step("a deleted and recreated session gets a new epoch", async () => {
      await api(server, "DELETE", "/api/sessions/s");
      await api(server, "POST", "/api/sessions/s/events", { event: "execution:started" });
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2, epoch },
      });
      assert.equal(ack.recovered, false);
      assert.notEqual(ack.epoch, epoch);
      assert.equal(ack.replayed, 1);
      assert.equal(ack.headSeq, 1);
    });
  } finally {
    await socket.close();
    await server.close();
  }
});
