/**
 * @module Unit tests of SocketSession without a network: frame order through a slow
 * authentication, the URL's session ahead of held frames, and token expiry on fake time.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { openSocket, slowVerifier } from "./_socket_harness.ts";

type Clock = ReturnType<typeof FakeTimers.install>;

/**
 * No `auth:expiring` after `quietMs`; one `stepMs` later the warning, the socket still open; a
 * minute after that, closed with 4001. Returns the warning.
 */
async function expectWarningThenClose(
  harness: ReturnType<typeof openSocket>,
  clock: Clock,
  quietMs: number,
  stepMs: number,
) {
  const warning = () => harness.transport.frames.find((f) => f.event === "auth:expiring");
  await clock.tickAsync(quietMs);
  assert.equal(warning(), undefined, "no warning yet");
  await clock.tickAsync(stepMs);
  assert.ok(warning(), "warned");
  assert.equal(harness.transport.closedWith, undefined);
  await clock.tickAsync(60_000);
  const { closedWith } = harness.transport as { closedWith?: { code: number } };
  assert.equal(closedWith?.code, 4001);
  return warning()!;
}

Deno.test("SocketSession admits frames held during a slow authentication in arrival order", async () => {
  // Before the serial queue, this HALT overtook the publish and failed with INVALID_STATE.
  const harness = openSocket({ verifier: slowVerifier(20, { scopes: new Set(["commands"]) }) });
  try {
    harness.send({ event: "auth", id: "a", payload: { token: "good" } });
    harness.send({ event: "execution:started", session: "run", id: 1, payload: {} });
    harness.send({ event: "command", session: "run", id: 2, payload: { type: "HALT" } });
    harness.send({ event: "execution:resumed", session: "run", id: 3, payload: {} });
    const halt = await harness.next((f) => f.event === "ack" && f.id === 2);
    assert.equal(halt.payload.ok, true, JSON.stringify(halt.payload));
    assert.equal(halt.payload.state, "halted");
    const acks = harness.transport.frames.filter((f) => f.event === "ack").map((f) => f.id);
    assert.equal(acks[0], "a", "the auth ack comes first");
    const published = await harness.next((f) => f.event === "ack" && f.id === 3);
    assert.deepEqual(
      [
        (await harness.next((f) => f.id === 1)).payload.seq,
        halt.payload.seq,
        published.payload.seq,
      ],
      [1, 2, 4],
      "seqs follow arrival order (the HALT's effect is seq 3)",
    );
  } finally {
    harness.close();
  }
});

Deno.test("SocketSession joins the URL's session before any frame that names none", async () => {
  const harness = openSocket({ query: { session: "url-session", role: "orchestrator" } });
  try {
    harness.send({ event: "execution:started", id: 1, payload: {} });
    const ack = await harness.next((f) => f.event === "ack");
    assert.equal(ack.payload.ok, true, JSON.stringify(ack.payload));
    assert.equal(harness.hub.session("url-session").headSeq, 1);
  } finally {
    harness.close();
  }
});

Deno.test("SocketSession refuses more than 32 frames while the token is checked", () => {
  const harness = openSocket({ verifier: slowVerifier(50) });
  try {
    harness.send({ event: "auth", payload: { token: "good" } });
    for (let i = 0; i < 40; i++) harness.send({ event: "ping", payload: { t: i } });
    assert.equal(harness.transport.closedWith?.code, 4102);
  } finally {
    harness.close();
  }
});

Deno.test("SocketSession warns before the token expires, then closes 4001 (fake time)", async () => {
  const clock = FakeTimers.install({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout"] });
  const expiresAt = 1_000_000 + 120_000;
  const harness = openSocket({
    token: "good",
    verifier: slowVerifier(0, { expiresAt }),
    clock: () => clock.now,
  });
  try {
    await clock.tickAsync(1);
    assert.ok(harness.transport.frames.some((f) => f.event === "connected"));
    const warning = await expectWarningThenClose(harness, clock, 59_000, 1_000);
    assert.equal(warning.payload.expiresAt, expiresAt, "warned a minute before");
  } finally {
    harness.close();
    clock.uninstall();
  }
});

Deno.test("SocketSession: an in-band refresh moves the expiry (fake time)", async () => {
  const clock = FakeTimers.install({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout"] });
  let expiresAt = 1_000_000 + 120_000;
  const harness = openSocket({
    token: "good",
    verifier: (token) => slowVerifier(0, { expiresAt })(token),
    clock: () => clock.now,
  });
  try {
    await clock.tickAsync(61_000);
    expiresAt = clock.now + 3_600_000;
    harness.send({ event: "auth:refresh", id: "r", payload: { token: "good" } });
    await clock.tickAsync(1);
    const ack = harness.transport.frames.find((f) => f.id === "r");
    assert.equal(ack?.payload.expiresAt, expiresAt);
    await clock.tickAsync(120_000);
    assert.equal(harness.transport.closedWith, undefined, "still open past the first expiry");
  } finally {
    harness.close();
    clock.uninstall();
  }
});

Deno.test("SocketSession: a token valid for longer than setTimeout's range still expires (fake time)", async () => {
  const clock = FakeTimers.install({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout"] });
  const day = 86_400_000;
  const expiresAt = 1_000_000 + 30 * day; // past 2^31 - 1 ms (24.8 days)
  const harness = openSocket({
    token: "good",
    verifier: slowVerifier(0, { expiresAt }),
    clock: () => clock.now,
  });
  try {
    await expectWarningThenClose(harness, clock, 30 * day - 61_000, 2_000);
  } finally {
    harness.close();
    clock.uninstall();
  }
});

Deno.test("SocketSession closes a socket that sends no auth frame in time, not one that did (fake time)", async () => {
  const clock = FakeTimers.install({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout"] });
  const silent = openSocket({ verifier: slowVerifier(0), config: { authTimeoutMs: 5_000 } });
  const prompt = openSocket({
    verifier: slowVerifier(0, { expiresAt: 1_000_000 + 3_600_000 }),
    config: { authTimeoutMs: 5_000 },
    clock: () => clock.now,
  });
  try {
    prompt.send({ event: "auth", payload: { token: "good" } });
    await clock.tickAsync(4_000);
    assert.equal(silent.transport.closedWith, undefined);
    await clock.tickAsync(2_000);
    const { closedWith } = silent.transport as { closedWith?: { code: number } };
    assert.equal(closedWith?.code, 4001);
    assert.ok(prompt.transport.frames.some((f) => f.event === "connected"));
    assert.equal(prompt.transport.closedWith, undefined, "authenticated: the deadline is gone");
  } finally {
    silent.close();
    prompt.close();
    clock.uninstall();
  }
});
