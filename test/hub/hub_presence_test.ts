/**
 * @module Batched presence through the hub, with fake timers and fake transports: one frame per
 * subscriber per interval however many joined, nothing to a subscriber still replaying, and the
 * subscribe answer plus the diffs always equal to the session's membership under random churn.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { Hub, MemoryStore, type PresenceDiff } from "../../src/mod.ts";
import type { Frame } from "../_helpers.ts";
import { FakeTransport } from "./_fake_transport.ts";
import { pagedStore } from "./_paged_store.ts";

/** Installs fake timeouts for the test's duration. */
function fakeTimers() {
  return FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
}

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
