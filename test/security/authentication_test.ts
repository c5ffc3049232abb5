/**
 * @module Authentication: how a socket presents a token, what happens without one, and how
 * expiry and in-band refresh work on open connections.
 */
import assert from "node:assert/strict";
import { api, TestSocket } from "../_helpers.ts";
import { mint, openAuthed, startSecureServer } from "./_tokens.ts";

const dashboard = { role: "dashboard" as const, sessions: ["s1"] };

Deno.test("a socket authenticates by auth frame, query token or header", async (t) => {
  const server = await startSecureServer();
  try {
    const token = await mint(dashboard);
    await t.step("auth frame, with frames pipelined behind it kept in order", async () => {
      const socket = await TestSocket.openRaw(server);
      socket.send({ event: "auth", id: "a", payload: { token } });
      socket.send({ event: "subscribe", id: "s", session: "s1" });
      const acks = await Promise.all([
        socket.next((f) => f.id === "a"),
        socket.next((f) => f.id === "s"),
      ]);
      assert.deepEqual(acks.map((a) => a.payload.ok), [true, true]);
      // connected first, then the auth ack, then the held subscribe's answer: in sending order.
      const order = socket.frames.map((f) => f.event === "ack" ? `ack:${f.id}` : f.event);
      assert.deepEqual(order.filter((e) => ["connected", "ack:a", "ack:s"].includes(e)), [
        "connected",
        "ack:a",
        "ack:s",
      ]);
      assert.equal(socket.frames[0].event, "connected");
      assert.equal(socket.frames[0].payload.role, "dashboard");
      await socket.close();
    });
    await t.step("?token= (may reach access logs; documented)", async () => {
      const socket = await TestSocket.open(server, `?session=s1&token=${token}`);
      await socket.next((f) => f.event === "subscribed");
      await socket.close();
    });
    await t.step("Authorization header, for non-browser clients", async () => {
      const socket = await TestSocket.openRaw(server, "?session=s1", {
        headers: { authorization: `Bearer ${token}` },
      });
      await socket.next((f) => f.event === "subscribed");
      await socket.close();
    });
  } finally {
    await server.close();
  }
});

Deno.test("missing, bad or expired credentials close the socket with 4001", async (t) => {
  const server = await startSecureServer({ authTimeoutMs: 200 });
  try {
    const cases: [string, (socket: TestSocket) => Promise<void>, RegExp][] = [
      ["no auth frame before the deadline", () => Promise.resolve(), /deadline/],
      [
        "another frame first",
        (s) => Promise.resolve(s.send({ event: "subscribe", session: "s1" })),
        /Authenticate first/,
      ],
      [
        "a malformed token",
        (s) => Promise.resolve(s.send({ event: "auth", payload: { token: "x.y.z" } })),
        /Invalid token/,
      ],
      [
        "an expired token",
        async (s) =>
          s.send({ event: "auth", payload: { token: await mint({ ...dashboard, ttlS: -10 }) } }),
        /Token expired/,
      ],
      [
        "a token signed with another secret",
        async (s) =>
          s.send({
            event: "auth",
            payload: { token: await mint({ ...dashboard, secret: "x".repeat(32) }) },
          }),
        /Invalid token/,
      ],
      ["claims without a role", async (s) => {
        const { sign } = await import("hono/jwt");
        const token = await sign(
          { sub: "u", exp: Math.floor(Date.now() / 1000) + 60 },
          "test-secret-that-is-long-enough",
        );
        s.send({ event: "auth", payload: { token } });
      }, /claims/],
    ];
    for (const [name, act, reason] of cases) {
      await t.step(name, async () => {
        const socket = await TestSocket.openRaw(server);
        await act(socket);
        const close = await socket.closed();
        assert.equal(close.code, 4001);
        const error = socket.frames.find((f) => f.event === "error");
        assert.equal(error?.payload.code, "UNAUTHORIZED");
        assert.match(error?.payload.message, reason);
      });
    }
    await t.step("a role the token does not grant: 4003", async () => {
      const socket = await TestSocket.openRaw(server, `?role=admin&token=${await mint(dashboard)}`);
      assert.equal((await socket.closed()).code, 4003);
    });
    await t.step(
      "REST without a token: 401 with WWW-Authenticate; /health stays open",
      async () => {
        const res = await fetch(`${server.url}/api/sessions`);
        assert.equal(res.status, 401);
        assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
        assert.equal((await res.json()).error.code, "UNAUTHORIZED");
        assert.equal((await api(server, "GET", "/health")).status, 200);
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("in-band refresh keeps the subject and narrows grants", async (t) => {
  const server = await startSecureServer();
  try {
    // Expiry and refresh timing: test/ws/socket_session_test.ts, on fake time.
    await t.step(
      "a refresh for another subject is refused; the old token stays in force",
      async () => {
        const socket = await openAuthed(server, await mint(dashboard));
        const other = await mint({ ...dashboard, sub: "someone-else" });
        const ack = await socket.request({ event: "auth:refresh", payload: { token: other } });
        assert.equal(ack.error.code, "FORBIDDEN");
        await socket.close();
      },
    );
    await t.step("a refresh with fewer grants leaves the withdrawn sessions", async () => {
      const socket = await openAuthed(
        server,
        await mint({ role: "dashboard", sessions: ["s1", "s2"] }),
      );
      await socket.request({ event: "subscribe", session: "s1" });
      await socket.request({ event: "subscribe", session: "s2" });
      const narrower = await mint({ role: "dashboard", sessions: ["s1"] });
      assert.equal(
        (await socket.request({ event: "auth:refresh", payload: { token: narrower } })).ok,
        true,
      );
      const dropped = await socket.next((f) => f.event === "error" && f.session === "s2");
      assert.equal(dropped.payload.code, "FORBIDDEN");
      const again = await socket.request({ event: "subscribe", session: "s2" });
      assert.equal(again.error.code, "FORBIDDEN");
      await socket.close();
    });
  } finally {
    await server.close();
  }
});
