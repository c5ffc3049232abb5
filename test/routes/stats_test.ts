/**
 * @module Tests of `GET /api/stats`: connections by role and session, traffic and round trips,
 * against a real server because connections are what it counts.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";
import { call, createTestApp } from "./_app.ts";

/**
 * Polls `/api/stats` until `ready` holds and returns that body; after 5 s returns the last one
 * so the caller's assertions report what was seen. Close and pong handling are asynchronous.
 */
async function statsWhen(server: RunningServer, ready: (body: Frame) => boolean): Promise<Frame> {
  const deadline = Date.now() + 5000;
  while (true) {
    const { body } = await api(server, "GET", "/api/stats");
    if (ready(body) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("GET /api/stats on an idle hub reports zeros and no round trips", async () => {
  const { app, close } = createTestApp();
  try {
    const res = await call(app, "GET", "/api/stats");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      success: true,
      connections: { total: 0, byRole: { orchestrator: 0, dashboard: 0, admin: 0 }, bySession: {} },
      traffic: { eventsIn: 0, framesIn: 0, framesOut: 0 },
      rtt: { p50: null, p99: null, connections: [] },
    });
  } finally {
    close();
  }
});

Deno.test("GET /api/stats counts connections, traffic and heartbeat round trips", async (t) => {
  // A fast heartbeat so a round trip gets measured; the test waits for it, never times it.
  const server = await startTestServer({ heartbeatMs: 50 });
  const sockets: TestSocket[] = [];
  try {
    const open = async (query: string) => {
      const socket = await TestSocket.open(server, query);
      sockets.push(socket);
      return socket;
    };
    const dashboard = await open("?session=a&role=dashboard");
    const orchestrator = await open("?session=a&role=orchestrator");
    await open("?role=admin");
    await dashboard.next((f) => f.event === "subscribed");
    await orchestrator.next((f) => f.event === "subscribed");
    const ack = await orchestrator.request({
      event: "chat:message",
      session: "b",
      payload: { text: "hi" },
    });
    assert.equal(ack.ok, true);
    await api(server, "POST", "/api/sessions/a/events", [
      { event: "execution:started" },
      { event: "execution:halted" },
    ]);

    await t.step("connections by role and by session", async () => {
      const { body } = await api(server, "GET", "/api/stats");
      assert.equal(body.success, true);
      assert.equal(body.connections.total, 3);
      assert.deepEqual(body.connections.byRole, { orchestrator: 1, dashboard: 1, admin: 1 });
      assert.deepEqual(body.connections.bySession, { a: 2 });
    });

    await t.step("traffic: events appended, frames in and out", async () => {
      const { body } = await api(server, "GET", "/api/stats");
      assert.equal(body.traffic.eventsIn, 3);
      assert.ok(body.traffic.framesIn >= 1, `framesIn ${body.traffic.framesIn}`);
      // connected + subscribed per socket, the ack, and the dashboard's two live events at least.
      assert.ok(body.traffic.framesOut >= 7, `framesOut ${body.traffic.framesOut}`);
    });

    await t.step("rtt p50/p99 once the heartbeat was answered", async () => {
      for (const socket of sockets) await socket.next((f) => f.event === "ping");
      const { rtt } = await statsWhen(
        server,
        (body) => body.rtt.connections.every((c: Frame) => c.smoothedMs !== null),
      );
      assert.equal(rtt.connections.length, 3);
      assert.equal(typeof rtt.p50, "number");
      assert.equal(typeof rtt.p99, "number");
      assert.ok(rtt.p50 >= 0 && rtt.p99 >= rtt.p50);
      for (const c of rtt.connections) assert.equal(typeof c.lastMs, "number");
    });

    await t.step("closed connections leave the counts but keep their traffic", async () => {
      const before = (await api(server, "GET", "/api/stats")).body.traffic.framesOut;
      for (const socket of sockets.splice(0)) await socket.close();
      const body = await statsWhen(server, (body) => body.connections.total === 0);
      assert.equal(body.connections.total, 0);
      assert.deepEqual(body.connections.bySession, {});
      assert.ok(body.traffic.framesOut >= before, "totals never go down");
    });
  } finally {
    for (const socket of sockets) await socket.close();
    await server.close();
  }
});
