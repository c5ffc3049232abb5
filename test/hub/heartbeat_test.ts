/**
 * @module Unit tests of the heartbeat sweep with a fake clock and fake transports: who gets
 * pinged, how pongs become round-trip times, and when a silent connection is closed.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { Connection } from "../../src/hub/connection.ts";
import { Heartbeat } from "../../src/hub/heartbeat.ts";
import { developmentPrincipal } from "../../src/auth/identity.ts";
import { FakeTransport } from "./_fake_transport.ts";

/** A heartbeat whose timer never fires during a test: the test calls `sweep()` itself. */
function manualHeartbeat(connections: Connection[], clock: { now: number }): Heartbeat {
  return new Heartbeat(() => new Set(connections), {
    intervalMs: 3_600_000,
    clock: () => clock.now,
  });
}

/** A dashboard connection over a fake transport. */
function connection(id: string): { connection: Connection; transport: FakeTransport } {
  const transport = new FakeTransport();
  const connection = new Connection(transport, {
    id,
    principal: developmentPrincipal("dashboard"),
    maxBufferedBytes: 1 << 20,
  });
  return { connection, transport };
}

Deno.test("Heartbeat.sweep() pings every connection with one frame", () => {
  const clock = { now: 1000.5 };
  const a = connection("a");
  const b = connection("b");
  const heartbeat = manualHeartbeat([a.connection, b.connection], clock);
  try {
    heartbeat.sweep();
    assert.deepEqual(a.transport.frames, [{ event: "ping", payload: { t: 1000.5 } }]);
    assert.deepEqual(b.transport.sent, a.transport.sent);
  } finally {
    heartbeat.stop();
  }
});

Deno.test("Heartbeat.pong() records last and smoothed round-trip times", () => {
  const clock = { now: 0 };
  const { connection: c } = connection("c");
  const heartbeat = manualHeartbeat([c], clock);
  try {
    assert.equal(c.rtt.last, undefined);
    heartbeat.sweep();
    clock.now = 10;
    heartbeat.pong(c, 0);
    assert.equal(c.rtt.last, 10);
    assert.equal(c.rtt.smoothed, 10);
    clock.now = 100;
    heartbeat.sweep();
    clock.now = 126;
    heartbeat.pong(c, 100);
    assert.equal(c.rtt.last, 26);
    assert.equal(c.rtt.smoothed, 12, "gain 1/8: 10 + (26 - 10) / 8");
  } finally {
    heartbeat.stop();
  }
});

Deno.test("Heartbeat.pong() ignores pongs that answer no ping or claim impossible times", () => {
  const clock = { now: 50 };
  const { connection: c } = connection("c");
  const heartbeat = manualHeartbeat([c], clock);
  try {
    heartbeat.pong(c, 40);
    assert.equal(c.rtt.last, undefined, "no ping was pending");
    heartbeat.sweep();
    heartbeat.pong(c, 60);
    assert.equal(c.rtt.last, undefined, "a t from the future gives a negative RTT");
    heartbeat.pong(c, 50 - 11 * 60_000);
    assert.equal(c.rtt.last, undefined, "over ten minutes is not a round trip");
    clock.now = 55;
    heartbeat.pong(c, 50);
    assert.equal(c.rtt.last, 5);
  } finally {
    heartbeat.stop();
  }
});

Deno.test("Heartbeat.sweep() closes a connection after two unanswered pings with 4100", () => {
  const clock = { now: 0 };
  const silent = connection("silent");
  const lively = connection("lively");
  const heartbeat = manualHeartbeat([silent.connection, lively.connection], clock);
  try {
    for (let i = 0; i < 3; i++) {
      heartbeat.sweep();
      clock.now += 5;
      heartbeat.pong(lively.connection, clock.now - 5);
      clock.now += 95;
      if (i < 2) assert.equal(silent.transport.closedWith, undefined, `open after ${i + 1} pings`);
    }
    assert.equal(silent.transport.closedWith?.code, 4100);
    assert.equal(silent.transport.frames.filter((f) => f.event === "ping").length, 2);
    assert.equal(lively.transport.closedWith, undefined);
    assert.equal(lively.transport.frames.length, 3);
  } finally {
    heartbeat.stop();
  }
});

Deno.test("Heartbeat: one answered ping in between resets the count", () => {
  const clock = { now: 0 };
  const { connection: c, transport } = connection("c");
  const heartbeat = manualHeartbeat([c], clock);
  try {
    for (let i = 0; i < 8; i++) {
      heartbeat.sweep();
      clock.now += 1;
      // Answer every other ping: never two misses in a row.
      if (i % 2 === 1) heartbeat.pong(c, clock.now - 1);
      clock.now += 99;
    }
    assert.equal(transport.closedWith, undefined);
    assert.equal(c.missedPongs, 0);
  } finally {
    heartbeat.stop();
  }
});

Deno.test("Heartbeat.pong() ignores a t the server never sent", () => {
  const clock = { now: 0 };
  const { connection: c } = connection("forger");
  const heartbeat = manualHeartbeat([c], clock);
  try {
    heartbeat.sweep(); // ping t=0
    clock.now = 50;
    heartbeat.pong(c, 49); // a made-up t claiming a 1 ms round trip
    assert.equal(c.rtt.last, undefined);
    clock.now = 100;
    heartbeat.sweep(); // ping t=100; the ping at t=0 is one missed pong
    assert.equal(c.missedPongs, 1);
    clock.now = 120;
    heartbeat.pong(c, 0); // a late answer to the previous ping still counts
    assert.equal(c.rtt.last, 120);
    assert.equal(c.missedPongs, 0);
  } finally {
    heartbeat.stop();
  }
});

Deno.test("the heartbeat pings each connection once per interval, spread over its slices", () => {
  const clock = FakeTimers.install({ toFake: ["setInterval", "clearInterval"] });
  const connections = Array.from({ length: 25 }, (_, i) => connection(`c${i}`));
  const heartbeat = new Heartbeat(() => new Set(connections.map((c) => c.connection)), {
    intervalMs: 1000,
    clock: () => 0,
  });
  try {
    const pinged = () => connections.map((c) => c.transport.frames.length);
    clock.tick(100); // the first slice: 3 of 25 (a tenth, rounded up)
    assert.equal(pinged().filter((n) => n === 1).length, 3);
    clock.tick(900); // the rest of the interval: everyone once, nobody twice
    assert.deepEqual(pinged(), Array(25).fill(1));
    clock.tick(1000); // the next interval: everyone once more
    assert.deepEqual(pinged(), Array(25).fill(2));
  } finally {
    heartbeat.stop();
    clock.uninstall();
  }
});
