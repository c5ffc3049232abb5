/**
 * @module Unit tests of the frame dispatcher without a network: what each kind of frame is
 * answered with, through a SocketSession over a fake transport in development mode.
 */
import assert from "node:assert/strict";
import { CLOSE_CODES } from "../../src/protocol/mod.ts";
import { openSocket } from "./_socket_harness.ts";

Deno.test("dispatchFrame() answers a ping with a pong carrying its id, and nothing else", async () => {
  const harness = openSocket();
  try {
    harness.send({ event: "ping", id: 7, payload: { t: 1.5 } });
    const pong = await harness.next((f) => f.event === "pong");
    assert.deepEqual(pong, { event: "pong", id: 7, payload: { t: 1.5 } });
    assert.equal(harness.transport.frames.filter((f) => f.event === "ack").length, 0);
  } finally {
    harness.close();
  }
});

Deno.test("dispatchFrame() needs a session unless the connection holds exactly one", async () => {
  const harness = openSocket({ query: { role: "orchestrator" } });
  try {
    harness.send({ event: "custom:x", id: 1, payload: {} });
    const refused = await harness.next((f) => f.id === 1);
    assert.equal(refused.payload.error.code, "SESSION_REQUIRED");
    harness.send({ event: "subscribe", id: 2, session: "only" });
    await harness.next((f) => f.id === 2);
    harness.send({ event: "custom:x", id: 3, payload: {} });
    const published = await harness.next((f) => f.id === 3);
    assert.deepEqual(published.payload, { ok: true, seq: 1 });
  } finally {
    harness.close();
  }
});

Deno.test("dispatchFrame() answers a failing command twice: command:result, then its ack", async () => {
  const harness = openSocket({ query: { role: "dashboard" } });
  try {
    harness.send({ event: "subscribe", id: 1, session: "c" });
    await harness.next((f) => f.id === 1);
    harness.send({ event: "command", id: 2, session: "c", payload: { type: "HALT" } });
    const ack = await harness.next((f) => f.event === "ack" && f.id === 2);
    assert.equal(ack.payload.error.code, "INVALID_STATE");
    const events = harness.transport.frames.map((f) => f.event);
    assert.ok(events.indexOf("command:result") < events.lastIndexOf("ack"));
    const result = harness.transport.frames.find((f) => f.event === "command:result");
    assert.deepEqual(result?.payload.command, "HALT");
    assert.equal(result?.payload.success, false);
  } finally {
    harness.close();
  }
});

Deno.test("dispatchFrame() answers frames over the rate with RATE_LIMITED acks", async () => {
  const harness = openSocket({ config: { frameRate: 1, abuseLimit: 1_000 } });
  try {
    for (let id = 1; id <= 5; id++) harness.send({ event: "ping", id, payload: { t: id } });
    const limited = await harness.next((f) => f.event === "ack" && f.id === 5);
    assert.equal(limited.payload.error.code, "RATE_LIMITED");
    assert.equal(harness.transport.closedWith, undefined, "told, not closed");
  } finally {
    harness.close();
  }
});

Deno.test("dispatchFrame(): persistent abuse closes the socket with RATE_LIMITED's close code", async () => {
  const harness = openSocket({ config: { frameRate: 1, abuseLimit: 3 } });
  try {
    for (let id = 1; id <= 10; id++) harness.send({ event: "ping", id, payload: { t: id } });
    for (let i = 0; i < 200 && harness.transport.closedWith === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(harness.transport.closedWith?.code, CLOSE_CODES.RATE_LIMITED);
    assert.equal(harness.hub.connectionCount, 0, "the hub let it go");
  } finally {
    harness.close();
  }
});
