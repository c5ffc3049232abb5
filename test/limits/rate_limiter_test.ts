/**
 * @module Unit tests of the per-connection limits with an injected clock: frame and command
 * buckets (the command bucket made on first use, full, as if it had always been there), shared
 * subject buckets, and the strike window.
 */
import assert from "node:assert/strict";
import { RateLimiter } from "../../src/limits/rate_limiter.ts";

function limiter(clock: { now: number }, abuseLimit = 3): RateLimiter {
  return new RateLimiter({
    frameRate: 2,
    commandRate: 1,
    subjectFrameRate: 3,
    subjectCommandRate: 100,
    abuseLimit,
    clock: () => clock.now,
  });
}

/** How many of `count` calls pass. */
function passes(count: number, call: () => boolean): number {
  let passed = 0;
  for (let i = 0; i < count; i++) if (call()) passed++;
  return passed;
}

Deno.test("ConnectionLimiter: frames burst to twice the rate, then refill", () => {
  const clock = { now: 0 };
  const limits = limiter(clock).forConnection(undefined);
  assert.equal(passes(10, () => limits.allowFrame()), 4);
  clock.now = 500;
  assert.equal(passes(10, () => limits.allowFrame()), 1);
});

Deno.test("ConnectionLimiter: the command bucket starts full at the first command", () => {
  const clock = { now: 0 };
  const limits = limiter(clock).forConnection(undefined);
  clock.now = 60_000;
  assert.equal(passes(5, () => limits.allowCommand()), 2, "a burst of twice the rate");
  clock.now = 61_000;
  assert.equal(passes(5, () => limits.allowCommand()), 1);
});

Deno.test("ConnectionLimiter: connections of one subject share its bucket", () => {
  const clock = { now: 0 };
  const shared = limiter(clock);
  const a = shared.forConnection("sub");
  const b = shared.forConnection("sub");
  const other = shared.forConnection("other");
  // The subject bucket holds 6; each connection's own holds 4.
  assert.equal(passes(4, () => a.allowFrame()) + passes(4, () => b.allowFrame()), 6);
  assert.equal(passes(4, () => other.allowFrame()), 4);
});

Deno.test("ConnectionLimiter.strike() closes past the limit within 10 s, and forgets after", () => {
  const clock = { now: 0 };
  const limits = limiter(clock, 3).forConnection(undefined);
  assert.deepEqual([limits.strike(), limits.strike(), limits.strike()], [false, false, false]);
  assert.equal(limits.strike(), true);
  clock.now = 10_001;
  assert.equal(limits.strike(), false, "a new window");
});
