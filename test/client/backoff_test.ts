/**
 * @module Reconnection backoff: the delay function's bounds, and the delays the client really
 * waits between attempts, under fake time.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { backoff } from "../../client/_backoff.ts";
import { io, type WebSocketLike } from "../../client/mod.ts";

const OPTIONS = { min: 1000, max: 5000, jitter: 0.5 };

/** The range attempt `n`'s delay must fall in: base·(1±jitter) with base = min·2^(n-1) ≤ max. */
function bounds(n: number, { min, max, jitter } = OPTIONS): [number, number] {
  const base = Math.min(max, min * 2 ** (n - 1));
  return [Math.floor(base * (1 - jitter)), Math.min(max, Math.ceil(base * (1 + jitter)))];
}

/**
 * A transport that fails every connection a tick after it is opened, noting when: these tests
 * are about the timer schedule alone, so no server is involved.
 */
function refusing(failedAt: number[] = []) {
  return class Refused implements WebSocketLike {
    onopen: unknown = null;
    onmessage: unknown = null;
    onerror: unknown = null;
    onclose: ((event: { code: number }) => void) | null = null;
    constructor() {
      setTimeout(() => {
        failedAt.push(Date.now());
        this.onclose?.({ code: 1006 });
      }, 0);
    }
    send(): void {}
    close(): void {}
  };
}

Deno.test("backoff() doubles from min, spreads by jitter and never exceeds max", () => {
  for (let n = 1; n <= 12; n++) {
    const [low, high] = bounds(n);
    for (const r of [0, 0.25, 0.5, 0.75, 0.999999]) {
      const delay = backoff(n, OPTIONS, () => r);
      assert.ok(delay >= low && delay <= high, `attempt ${n}, random ${r}: ${delay}`);
    }
    assert.equal(backoff(n, { ...OPTIONS, jitter: 0 }), Math.min(5000, 1000 * 2 ** (n - 1)));
  }
  assert.equal(backoff(1, OPTIONS, () => 0), 500);
  assert.equal(backoff(1, OPTIONS, () => 0.5), 1000);
  assert.equal(backoff(60, OPTIONS, () => 0.5), 5000, "no overflow for late attempts");
});

Deno.test("the client waits within the backoff bounds between attempts (fake time)", async () => {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  try {
    const failedAt: number[] = [];
    const socket = io("http://127.0.0.1:9", {
      WebSocket: refusing(failedAt),
      reconnectionAttempts: 8,
      reconnectionDelay: OPTIONS.min,
      reconnectionDelayMax: OPTIONS.max,
      randomizationFactor: OPTIONS.jitter,
    });
    const attemptAt: number[] = [];
    let failed = false;
    socket.on("reconnect_attempt", () => attemptAt.push(Date.now()));
    socket.on("reconnect_failed", () => failed = true);
    await clock.runAllAsync();

    assert.equal(failed, true);
    assert.equal(attemptAt.length, 8);
    assert.equal(failedAt.length, 9, "the first try and eight reconnection attempts");
    for (let n = 1; n <= 8; n++) {
      const waited = attemptAt[n - 1] - failedAt[n - 1];
      const [low, high] = bounds(n);
      assert.ok(waited >= low && waited <= high, `attempt ${n} waited ${waited} ms`);
    }
    assert.equal(socket.active, false);
    socket.disconnect();
  } finally {
    clock.uninstall();
  }
});

Deno.test("disconnect() clears every timer: backoff, connect and ack timeouts", async () => {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  try {
    const socket = io("http://127.0.0.1:9", { WebSocket: refusing() });
    const acked = new Promise((resolve) => socket.emit("chat:message", { text: "x" }, resolve));
    await clock.tickAsync(1); // the first try fails: a reconnection is now scheduled
    assert.ok(clock.countTimers() >= 2, "a backoff timer and an ack timer are pending");
    socket.disconnect();
    assert.equal(clock.countTimers(), 0);
    assert.equal(((await acked) as { code: string }).code, "DISCONNECTED");
  } finally {
    clock.uninstall();
  }
});
