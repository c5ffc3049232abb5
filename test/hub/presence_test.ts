/**
 * @module Unit tests of batched presence with fake timers: one `presence` frame per interval
 * however many joined, changes that cancel out, counts above the list limit, the snapshot in
 * the subscribe answer, and that snapshot plus diffs always equals the session's membership.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { Hub, MemoryStore, type PresenceDiff } from "../../src/mod.ts";
import { Presence } from "../../src/hub/presence.ts";
import type { Frame } from "../_helpers.ts";
import { FakeTransport } from "./_fake_transport.ts";
import { pagedStore } from "./_paged_store.ts";

/** Installs fake timeouts for the test's duration. */
function fakeTimers() {
  return FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
}

/** A Presence whose frames land in `frames` (parsed). */
function presence(listLimit = 100): { presence: Presence; frames: Frame[] } {
  const frames: Frame[] = [];
  const p = new Presence("s", (frame) => frames.push(JSON.parse(frame)), {
    intervalMs: 100,
    listLimit,
    clock: () => 42,
  });
  return { presence: p, frames };
}

Deno.test("Presence: joins within one interval go out as one frame when it ends", () => {
  const clock = fakeTimers();
  try {
    const { presence: p, frames } = presence();
    p.joined("a", "dashboard");
    p.joined("b", "orchestrator");
    clock.tick(99);
    p.joined("c", "admin");
    assert.equal(frames.length, 0, "nothing before the interval ends");
    clock.tick(1);
    assert.deepEqual(frames, [{
      event: "presence",
      session: "s",
      ts: 42,
      payload: {
        count: 3,
        joined: [
          { id: "a", role: "dashboard" },
          { id: "b", role: "orchestrator" },
          { id: "c", role: "admin" },
        ],
        left: [],
      },
    }]);
    p.left("b");
    clock.tick(100);
    assert.deepEqual(frames[1].payload, { count: 2, joined: [], left: ["b"] });
    clock.tick(1000);
    assert.equal(frames.length, 2, "no frame for an interval without changes");
  } finally {
    clock.uninstall();
  }
});

Deno.test("Presence: a join and a leave within one interval cancel out", () => {
  const clock = fakeTimers();
  try {
    const { presence: p, frames } = presence();
    p.joined("stays", "dashboard");
    clock.tick(100);
    // Came and went unseen; left and came back unseen.
    p.joined("brief", "dashboard");
    p.left("brief");
    p.left("stays");
    p.joined("stays", "dashboard");
    clock.tick(100);
    assert.equal(frames.length, 1);
    assert.deepEqual(p.snapshot(), { count: 1, members: [{ id: "stays", role: "dashboard" }] });
  } finally {
    clock.uninstall();
  }
});

Deno.test("Presence.snapshot() is the membership as of the last frame, not the pending one", () => {
  const clock = fakeTimers();
  try {
    const { presence: p } = presence();
    p.joined("a", "dashboard");
    assert.deepEqual(p.snapshot(), { count: 0, members: [] });
    clock.tick(100);
    p.joined("b", "dashboard");
    p.left("a");
    assert.deepEqual(p.snapshot(), { count: 1, members: [{ id: "a", role: "dashboard" }] });
    clock.tick(100);
    assert.deepEqual(p.snapshot(), { count: 1, members: [{ id: "b", role: "dashboard" }] });
  } finally {
    clock.uninstall();
  }
});

Deno.test("Presence: above the list limit counts only, and the whole list on the way back", () => {
  const clock = fakeTimers();
  try {
    const { presence: p, frames } = presence(2);
    p.joined("a", "dashboard");
    p.joined("b", "dashboard");
    clock.tick(100);
    assert.equal(frames[0].payload.joined.length, 2);
    p.joined("c", "dashboard");
    clock.tick(100);
    assert.deepEqual(frames[1].payload, { count: 3 });
    assert.deepEqual(p.snapshot(), { count: 3 });
    p.joined("d", "dashboard");
    clock.tick(150); // 3 members over a limit of 2: 1.5 intervals
    assert.deepEqual(frames[2].payload, { count: 4 });
    p.left("a");
    p.left("c");
    clock.tick(200);
    // The receivers had counts only: a diff would apply to nothing, so the list comes whole.
    assert.deepEqual(frames[3].payload, {
      count: 2,
      members: [{ id: "b", role: "dashboard" }, { id: "d", role: "dashboard" }],
    });
    p.left("b");
    clock.tick(100);
    assert.deepEqual(frames[4].payload, { count: 1, joined: [], left: ["b"] });
  } finally {
    clock.uninstall();
  }
});

Deno.test("Presence: above the list limit the interval grows with the membership", () => {
  const clock = fakeTimers();
  try {
    const { presence: p, frames } = presence(2);
    for (const id of ["a", "b", "c", "d", "e", "f"]) p.joined(id, "dashboard");
    clock.tick(100);
    assert.deepEqual(frames.map((f) => f.payload), [{ count: 6 }]);
    // 6 members, limit 2: three times the interval, so about 2 frames per 100 ms in all.
    p.joined("g", "dashboard");
    clock.tick(299);
    assert.equal(frames.length, 1);
    clock.tick(1);
    assert.deepEqual(frames[1].payload, { count: 7 });
  } finally {
    clock.uninstall();
  }
});

Deno.test("Presence.stop() cancels the pending frame and ignores later changes", () => {
  const clock = fakeTimers();
  try {
    const { presence: p, frames } = presence();
    p.joined("a", "dashboard");
    p.stop();
    p.joined("b", "dashboard");
    clock.tick(1000);
    assert.equal(frames.length, 0);
    assert.equal(clock.countTimers(), 0);
  } finally {
    clock.uninstall();
  }
});

/** Presence frames a fake transport received. */
function presenceFrames(transport: FakeTransport): Frame[] {
  return transport.frames.filter((f) => f.event === "presence");
}

Deno.test("Hub: 200 dashboards joining in one interval cost one presence frame each", async () => {
  const clock = fakeTimers();
  const hub = new Hub({ store: new MemoryStore(), heartbeatMs: 0 });
  try {
    const first = new FakeTransport();
    const answer = await hub.subscribe(hub.connect(first, { role: "dashboard" }), "s");
    assert.deepEqual(answer.presence, { count: 0, members: [] });
    clock.tick(100);
    assert.equal(presenceFrames(first).length, 1, "its own join");
    const others = Array.from({ length: 199 }, () => new FakeTransport());
    await Promise.all(
      others.map((t) => hub.subscribe(hub.connect(t, { role: "dashboard" }), "s")),
    );
    const worker = new FakeTransport();
    await hub.subscribe(hub.connect(worker, { role: "orchestrator" }), "s");
    assert.equal(presenceFrames(first).length, 1, "nothing during the interval");
    clock.tick(100);
    for (const transport of [first, ...others]) {
      const frames = presenceFrames(transport);
      assert.equal(frames.length, transport === first ? 2 : 1);
      assert.equal(frames.at(-1)!.payload.count, 201);
    }
    // 201 is over the default list limit (100): counts only, one frame to everybody.
    assert.deepEqual(presenceFrames(first)[1].payload, { count: 201 });
    assert.equal(presenceFrames(worker).length, 0, "orchestrators filter presence out");
    // Every subscriber gets the same text: encoded once.
    assert.equal(
      new Set(others.map((t) => t.sent.findLast((s) => s.includes("presence")))).size,
      1,
    );
  } finally {
    hub.close();
    clock.uninstall();
  }
});

Deno.test("Hub: a subscriber still replaying gets no diff; its answer holds the membership", async () => {
  const clock = fakeTimers();
  // Each replay read takes 150 ms: longer than the presence interval.
  const hub = new Hub({
    store: pagedStore(new MemoryStore(), { delayMs: 150 }),
    heartbeatMs: 0,
  });
  try {
    const a = new FakeTransport();
    const aConnection = hub.connect(a, { role: "dashboard" });
    const aAnswer = hub.subscribe(aConnection, "r");
    await clock.tickAsync(150);
    // Its own join was announced while it replayed: not to it, but its answer has it.
    assert.deepEqual((await aAnswer).presence, {
      count: 1,
      members: [{ id: aConnection.id, role: "dashboard" }],
    });
    assert.equal(presenceFrames(a).length, 0);
    const b = new FakeTransport();
    const bConnection = hub.connect(b, { role: "admin" });
    const bAnswer = hub.subscribe(bConnection, "r");
    await clock.tickAsync(100);
    // a heard of b's join; b, still replaying, heard nothing...
    assert.deepEqual(presenceFrames(a).at(-1)!.payload, {
      count: 2,
      joined: [{ id: bConnection.id, role: "admin" }],
      left: [],
    });
    assert.equal(presenceFrames(b).length, 0);
    await clock.tickAsync(50);
    // ...and its answer holds what that frame announced.
    assert.deepEqual((await bAnswer).presence, {
      count: 2,
      members: [{ id: aConnection.id, role: "dashboard" }, { id: bConnection.id, role: "admin" }],
    });
    hub.unsubscribe(bConnection, "r");
    await clock.tickAsync(100);
    assert.deepEqual(presenceFrames(a).at(-1)!.payload, {
      count: 1,
      joined: [],
      left: [bConnection.id],
    });
    // A change pending when the hub closes leaves no timer behind.
    hub.unsubscribe(aConnection, "r");
    hub.close();
    assert.equal(clock.countTimers(), 0);
  } finally {
    hub.close();
    clock.uninstall();
  }
});

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a client believes: the snapshot from its answer, with every later frame applied. */
function believed(answer: Frame, frames: Frame[]): Set<string> | undefined {
  let members: Set<string> | undefined = answer.presence.members &&
    new Set(answer.presence.members.map((m: Frame) => m.id));
  for (const { payload } of frames as { payload: PresenceDiff }[]) {
    if (payload.members) members = new Set(payload.members.map((m) => m.id));
    else if (!payload.joined) members = undefined;
    else {
      for (const m of payload.joined) members?.add(m.id);
      for (const id of payload.left ?? []) members?.delete(id);
    }
  }
  return members;
}

for (const seed of [1, 2, 3]) {
  Deno.test(`Hub: answer plus diffs equals the membership, random churn (seed ${seed})`, async () => {
    const clock = fakeTimers();
    const hub = new Hub({ store: new MemoryStore(), heartbeatMs: 0, presenceListLimit: 12 });
    const next = random(seed);
    try {
      const clients = Array.from({ length: 20 }, () => {
        const transport = new FakeTransport();
        return {
          transport,
          connection: hub.connect(transport, { role: "dashboard" }),
          answer: undefined as Frame | undefined,
          mark: 0,
        };
      });
      for (let round = 0; round < 40; round++) {
        for (const client of clients) {
          const r = next();
          if (r < 0.15 && !client.answer) {
            client.mark = presenceFrames(client.transport).length;
            client.answer = await hub.subscribe(client.connection, "churn");
          } else if (r < 0.25 && client.answer) {
            hub.unsubscribe(client.connection, "churn");
            client.answer = undefined;
          }
        }
        clock.tick(next() < 0.5 ? 100 : 30);
      }
      clock.tick(100);
      const attached = new Set(
        clients.filter((c) => c.answer).map((c) => c.connection.id),
      );
      assert.ok(attached.size > 0);
      for (const client of clients.filter((c) => c.answer)) {
        const frames = presenceFrames(client.transport).slice(client.mark);
        const members = believed(client.answer!, frames);
        const last = frames.at(-1)?.payload.count ?? client.answer!.presence.count;
        assert.equal(last, attached.size, "the count is right");
        if (attached.size <= 12) assert.deepEqual(members, attached, "and so is the list");
      }
    } finally {
      hub.close();
      clock.uninstall();
    }
  });
}
