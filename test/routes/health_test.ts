/**
 * @module Tests of `GET /health` and of the answers every route shares: unknown routes and a
 * plain GET of the WebSocket endpoint.
 */
import assert from "node:assert/strict";
import { VERSION } from "../../src/mod.ts";
import { api, startTestServer, TestSocket } from "../_helpers.ts";
import { call, createTestApp, errorOf } from "./_app.ts";

Deno.test("GET /health reports status, version, uptime and gauges", async (t) => {
  const { app, close } = createTestApp({ startedAt: Date.now() - 90_000 });
  try {
    await t.step("an empty hub is healthy with zero gauges", async () => {
      const res = await call(app, "GET", "/health");
      assert.equal(res.status, 200);
      assert.equal(res.body.status, "healthy");
      assert.equal(res.body.store, "ok");
      assert.equal(res.body.version, VERSION);
      assert.ok(!Number.isNaN(Date.parse(res.body.timestamp)), "timestamp is ISO 8601");
      // Started 90 s ago by the injected start time, not by waiting.
      assert.ok(res.body.uptimeS >= 90, `uptimeS ${res.body.uptimeS}`);
      assert.equal(res.body.activeSessions, 0);
      assert.equal(res.body.connectedClients, 0);
    });

    await t.step("activeSessions counts created and implicitly opened sessions", async () => {
      assert.equal((await call(app, "POST", "/api/sessions", { sessionId: "a" })).status, 201);
      const published = await call(app, "POST", "/api/sessions/b/events", {
        event: "chat:message",
        payload: { text: "hi" },
      });
      assert.equal(published.status, 201);
      assert.equal((await call(app, "GET", "/health")).body.activeSessions, 2);
    });
  } finally {
    close();
  }
});

Deno.test("GET /health counts connected WebSocket clients", async () => {
  const server = await startTestServer();
  try {
    const socket = await TestSocket.open(server, "?role=dashboard");
    try {
      const res = await api(server, "GET", "/health");
      assert.equal(res.status, 200);
      assert.equal(res.body.connectedClients, 1);
    } finally {
      await socket.close();
    }
  } finally {
    await server.close();
  }
});

Deno.test("unknown routes answer 404 NOT_FOUND in the error shape", async (t) => {
  const { app, close } = createTestApp();
  try {
    for (const [method, path] of [["GET", "/nope"], ["POST", "/api/nope"], ["PATCH", "/health"]]) {
      await t.step(`${method} ${path}`, async () => {
        const res = await call(app, method, path, method === "GET" ? undefined : {});
        assert.equal(res.status, 404);
        const error = errorOf(res);
        assert.equal(error.code, "NOT_FOUND");
        assert.match(error.message, new RegExp(`${method} ${path}`));
      });
    }
  } finally {
    close();
  }
});

Deno.test("GET /ws without an upgrade is refused with INVALID_FRAME", async () => {
  const { app, close } = createTestApp();
  try {
    const res = await call(app, "GET", "/ws");
    assert.equal(res.status, 400);
    assert.equal(errorOf(res).code, "INVALID_FRAME");
  } finally {
    close();
  }
});
