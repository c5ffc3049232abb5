/**
 * @module Tests of the heartbeat over real sockets: server pings, round-trip times in
 * `/api/stats`, closing with 4100 after two unanswered pings, and answering client pings.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket, waitFor } from "../_helpers.ts";

/** Waits until `socket` has received `count` server pings. */
function waitForPings(socket: TestSocket, count: number): Promise<true> {
  return waitFor(
    () => socket.frames.filter((f) => f.event === "ping").length >= count || undefined,
    `${count} pings`,
  );
}

Deno.test("heartbeat", async (t) => {
  const server = await startTestServer({ heartbeatMs: 100 });
  try {
    await t.step("the server pings; pongs give last and smoothed RTT in /api/stats", async () => {
      const socket = await TestSocket.open(server);
      try {
        assert.equal(socket.frames[0].payload.heartbeatMs, 100);
        const id = socket.frames[0].payload.id;
        const ping = await socket.next((f) => f.event === "ping");
        assert.equal(typeof ping.payload.t, "number");
        assert.equal(ping.seq, undefined);
        assert.equal(ping.id, undefined);
        const row = await waitFor(async () => {
          const stats = await api(server, "GET", "/api/stats");
          const mine = stats.body.rtt.connections.find((c: Frame) => c.id === id);
          return mine?.lastMs === null ? undefined : mine;
        }, "an RTT sample");
        assert.equal(row.role, "dashboard");
        assert.equal(typeof row.lastMs, "number");
        assert.equal(typeof row.smoothedMs, "number");
        assert.ok(row.lastMs >= 0 && row.smoothedMs >= 0);
        const stats = await api(server, "GET", "/api/stats");
        assert.equal(typeof stats.body.rtt.p50, "number");
        // Answered pings keep the connection open across many intervals.
        await waitForPings(socket, 5);
        assert.ok(socket.isOpen);
      } finally {
        await socket.close();
      }
    });

    await t.step(
      "two unanswered pings close the connection with 4100; others live on",
      async () => {
        const silent = await TestSocket.open(server, "?session=hb", { autoPong: false });
        const lively = await TestSocket.open(server, "?session=hb");
        try {
          const event = await silent.closed(3000);
          assert.equal(event.code, 4100);
          assert.ok(silent.frames.filter((f) => f.event === "ping").length >= 2);
          // The live one keeps being pinged and keeps receiving its session.
          const pingsSoFar = lively.frames.filter((f) => f.event === "ping").length;
          await waitForPings(lively, pingsSoFar + 2);
          assert.ok(lively.isOpen);
          const left = await lively.next((f) =>
            f.event === "presence" && f.payload.left?.length > 0
          );
          assert.deepEqual(left.payload.left, [silent.frames[0].payload.id]);
          await api(server, "POST", "/api/sessions/hb/events", { event: "custom:x", payload: {} });
          await lively.waitForEvents("hb", 1);
        } finally {
          await silent.close();
          await lively.close();
        }
      },
    );

    await t.step("one late pong resets the count", async () => {
      // Answer every second ping only: one miss at a time is tolerated.
      const socket = await TestSocket.open(server, "", { autoPong: false });
      try {
        let pings = 0;
        while (pings < 6) {
          const ping = await socket.nextNew((f) => f.event === "ping");
          if (++pings % 2 === 0) socket.send({ event: "pong", payload: { t: ping.payload.t } });
        }
        assert.ok(socket.isOpen);
      } finally {
        await socket.close();
      }
    });

    await t.step(
      "a client ping is answered at once with a pong carrying its id and t",
      async () => {
        const socket = await TestSocket.open(server);
        try {
          socket.send({ event: "ping", id: 41, payload: { t: 12.5 } });
          const pong = await socket.next((f) => f.event === "pong");
          assert.deepEqual(pong, { event: "pong", id: 41, payload: { t: 12.5 } });
          socket.send({ event: "ping", id: "str-id", payload: { t: 7 } });
          const pong2 = await socket.next((f) => f.event === "pong" && f.id === "str-id");
          assert.deepEqual(pong2.payload, { t: 7 });
          const bad = await socket.request({ event: "ping", payload: {} });
          assert.equal(bad.ok, false);
          assert.equal(bad.error.code, "INVALID_PAYLOAD");
          assert.match(bad.error.message, /payload\.t/);
          assert.equal(socket.frames.filter((f) => f.event === "ack" && f.payload.ok).length, 0);
        } finally {
          await socket.close();
        }
      },
    );

    await t.step("a pong sent with an id still gets exactly one ack", async () => {
      const socket = await TestSocket.open(server);
      try {
        const ack = await socket.request({ event: "pong", payload: { t: 1 } });
        assert.equal(ack.ok, true);
      } finally {
        await socket.close();
      }
    });

    await t.step("a pong with a bad payload is a coded error", async () => {
      const socket = await TestSocket.open(server);
      try {
        socket.send({ event: "pong", payload: { t: "soon" } });
        const error = await socket.next((f) => f.event === "error");
        assert.equal(error.payload.code, "INVALID_PAYLOAD");
        assert.ok(socket.isOpen);
      } finally {
        await socket.close();
      }
    });
  } finally {
    await server.close();
  }
});

Deno.test("heartbeatMs 0 turns the heartbeat off but client pings still work", async () => {
  const server = await startTestServer({ heartbeatMs: 0 });
  const socket = await TestSocket.open(server, "", { autoPong: false });
  try {
    assert.equal(socket.frames[0].payload.heartbeatMs, 0);
    socket.send({ event: "ping", id: 1, payload: { t: 1 } });
    await socket.next((f) => f.event === "pong" && f.id === 1);
  } finally {
    await socket.close();
    await server.close();
  }
});
