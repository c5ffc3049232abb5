/**
 * @module Unit tests of batched presence with fake timers: one `presence` frame per interval
 * however many joined, changes that cancel out, counts (and a longer interval) above the list
 * limit, the snapshot a new subscriber starts from. Through the hub: hub_presence_test.ts.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { Presence } from "../../src/hub/presence.ts";
import type { Frame } from "../_helpers.ts";

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
