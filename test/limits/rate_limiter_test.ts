/**
 * @module Unit tests of the rate limits by role on a fake clock: an orchestrator streaming fast
 * is carried, a dashboard is held tight, and only persistent flooding earns a close.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../src/config/mod.ts";
import { RateLimiter } from "../../src/limits/rate_limiter.ts";

function limiter(now: { t: number }): RateLimiter {
  return new RateLimiter({ ...resolveConfig(), clock: () => now.t });
}

/** Equal but for the bucket's floating-point refill (a frame or two). */
function assertAbout(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 2, `${actual} is not about ${expected}`);
}

/** Sends `perSecond` frames a second for `seconds`, evenly; returns how many were refused. */
function stream(
  allow: () => boolean,
  now: { t: number },
  perSecond: number,
  seconds: number,
): number {
  let refused = 0;
  for (let i = 0; i < perSecond * seconds; i++) {
    now.t += 1000 / perSecond;
    if (!allow()) refused++;
  }
  return refused;
}

Deno.test("RateLimiter: an orchestrator's default carries 5,000 frames/s for 10 s", () => {
  const now = { t: 0 };
  const connection = limiter(now).forConnection({ role: "orchestrator", subject: "agent" });
  assert.equal(stream(() => connection.allowFrame(), now, 5_000, 10), 0);
});

Deno.test("RateLimiter: a dashboard's default is tight", () => {
  const now = { t: 0 };
  const connection = limiter(now).forConnection({ role: "dashboard", subject: "viewer" });
  // 500/s with a burst of 1,000: of 4,000 frames in 4 s, 3,000 pass.
  assertAbout(stream(() => connection.allowFrame(), now, 1_000, 4), 1_000);
});

Deno.test("RateLimiter: an orchestrator over its rate is refused, and closed only when it keeps on", () => {
  const now = { t: 0 };
  const connection = limiter(now).forConnection({ role: "orchestrator", subject: undefined });
  // 15,000/s against 10,000/s (burst 20,000) for 10 s: refused frames it can retry, no close.
  let closes = 0;
  const flow = () => {
    if (connection.allowFrame()) return true;
    if (connection.strike()) closes++;
    return false;
  };
  assertAbout(stream(flow, now, 15_000, 10), 30_000);
  assert.equal(closes, 0, "told with RATE_LIMITED, not closed");
  // Three times the rate for a few seconds passes the abuse limit (50,000 in 10 s).
  stream(flow, now, 30_000, 3);
  assert.ok(closes > 0, "persistent flooding earns the close");
});

Deno.test("RateLimiter: REST requests draw on the subject's bucket by role", () => {
  const now = { t: 0 };
  const rates = limiter(now);
  const dashboardCalls = rates.forRequest({ role: "dashboard", subject: "d" });
  const orchestratorCalls = rates.forRequest({ role: "orchestrator", subject: "d" });
  assertAbout(stream(() => dashboardCalls.allowFrame(), now, 3_000, 5), 1_000);
  assert.equal(stream(() => orchestratorCalls.allowFrame(), now, 3_000, 5), 0, "orchestrator");
  assert.equal(dashboardCalls.strike(), false, "REST is never closed");
});

Deno.test("RateLimiter: a connection's command bucket starts full at its first command", () => {
  const now = { t: 0 };
  const connection = limiter(now).forConnection({ role: "dashboard", subject: undefined });
  now.t = 60_000;
  // commandRate 20/s, burst 40: made on first use, full, as if it had always been there.
  let passed = 0;
  for (let i = 0; i < 100; i++) if (connection.allowCommand()) passed++;
  assert.equal(passed, 40);
  now.t += 1_000;
  passed = 0;
  for (let i = 0; i < 100; i++) if (connection.allowCommand()) passed++;
  assertAbout(passed, 20);
});

Deno.test("RateLimiter: strikes are counted per 10 s window", () => {
  const now = { t: 0 };
  const connection = limiter(now).forConnection({ role: "dashboard", subject: undefined });
  // The dashboard abuse limit is 200 rejected frames in 10 s.
  let closes = 0;
  for (let i = 0; i < 200; i++) if (connection.strike()) closes++;
  assert.equal(closes, 0);
  assert.equal(connection.strike(), true, "the 201st within the window");
  now.t = 10_001;
  assert.equal(connection.strike(), false, "a new window starts the count again");
});
