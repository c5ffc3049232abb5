/**
 * @module Tests of `GET /ws`: the `connected` frame, joining a session from the query string and
 * refusing a bad query.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";
import { publishRest } from "./_stream.ts";

/** Opens a WebSocket with a bad query; resolves with the error frame and the close event. */
function refusedQuery(
  server: RunningServer,
  query: string,
): Promise<{ error: Frame; close: CloseEvent }> {
  const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws${query}`);
  let error: Frame | undefined;
  ws.onmessage = (message) => {
    const frame = JSON.parse(message.data as string);
    if (frame.event === "error") error = frame;
  };
  ws.onerror = () => {};
  return new Promise((resolve, reject) => {
    ws.onclose = (close) =>
      error ? resolve({ error, close }) : reject(new Error(`No error frame (${close.code})`));
  });
}

Deno.test("GET /ws", async (t) => {
  const server = await startTestServer({ heartbeatMs: 60_000 });
  try {
    await t.step("the first frame is connected, with id, role, sessions and protocol", async () => {
      const socket = await TestSocket.open(server);
      try {
        const [first] = socket.frames;
        assert.equal(first.event, "connected");
        assert.equal(first.seq, undefined, "connected is not a session event");
        assert.equal(first.session, undefined);
        assert.equal(typeof first.payload.id, "string");
        assert.ok(first.payload.id.length > 0);
        assert.equal(first.payload.role, "dashboard", "dashboard is the default role");
        assert.deepEqual(first.payload.sessions, []);
        assert.equal(first.payload.heartbeatMs, 60_000);
        assert.equal(first.payload.protocol, 1);
      } finally {
        await socket.close();
      }
    });

    await t.step("each connection gets its own id and the role it asked for", async () => {
      const a = await TestSocket.open(server, "?role=orchestrator");
      const b = await TestSocket.open(server, "?role=dashboard");
      try {
        assert.equal(a.frames[0].payload.role, "orchestrator");
        assert.equal(b.frames[0].payload.role, "dashboard");
        assert.notEqual(a.frames[0].payload.id, b.frames[0].payload.id);
      } finally {
        await a.close();
        await b.close();
      }
    });

    await t.step(
      "?session= replays the stream, then sends subscribed, then goes live",
      async () => {
        await publishRest(server, "c1", 3);
        const socket = await TestSocket.open(server, "?session=c1&role=dashboard");
        try {
          assert.deepEqual(socket.frames[0].payload.sessions, ["c1"]);
          const subscribed = await socket.next((f) => f.event === "subscribed");
          const order = socket.frames.map((f) => f.event);
          assert.deepEqual(order.slice(0, 5), [
            "connected",
            "custom:n",
            "custom:n",
            "custom:n",
            "subscribed",
          ]);
          assert.deepEqual(socket.events("c1").map((f) => f.seq), [1, 2, 3]);
          assert.equal(subscribed.session, "c1");
          assert.equal(subscribed.seq, undefined);
          assert.equal(subscribed.payload.headSeq, 3);
          assert.equal(subscribed.payload.replayed, 3);
          assert.equal(subscribed.payload.recovered, true);
          assert.equal(typeof subscribed.payload.epoch, "string");

          await publishRest(server, "c1", 1, 4);
          const events = await socket.waitForEvents("c1", 4);
          assert.equal(events[3].seq, 4);
          assert.equal(events[3].payload.n, 4);
        } finally {
          await socket.close();
        }
      },
    );

    await t.step("?session_id= is accepted as an alias of ?session=", async () => {
      await publishRest(server, "c2", 2);
      const socket = await TestSocket.open(server, "?session_id=c2");
      try {
        assert.deepEqual(socket.frames[0].payload.sessions, ["c2"]);
        const subscribed = await socket.next((f) => f.event === "subscribed");
        assert.equal(subscribed.session, "c2");
        assert.deepEqual(socket.events("c2").map((f) => f.seq), [1, 2]);
      } finally {
        await socket.close();
      }
    });

    await t.step("?lastSeq= replays only what came after it", async () => {
      await publishRest(server, "c3", 5);
      const socket = await TestSocket.open(server, "?session=c3&lastSeq=3");
      try {
        const subscribed = await socket.next((f) => f.event === "subscribed");
        assert.deepEqual(socket.events("c3").map((f) => f.payload.n), [4, 5]);
        assert.deepEqual(socket.events("c3").map((f) => f.seq), [4, 5]);
        assert.equal(subscribed.payload.replayed, 2);
        assert.equal(subscribed.payload.headSeq, 5);
      } finally {
        await socket.close();
      }
    });

    await t.step("?session= of a new session creates it with an empty stream", async () => {
      const socket = await TestSocket.open(server, "?session=c4-new");
      try {
        const subscribed = await socket.next((f) => f.event === "subscribed");
        assert.equal(subscribed.payload.headSeq, 0);
        assert.equal(subscribed.payload.replayed, 0);
        const res = await api(server, "GET", "/api/sessions/c4-new");
        assert.equal(res.status, 200);
        assert.equal(res.body.session.headSeq, 0);
      } finally {
        await socket.close();
      }
    });

    await t.step("?events= filters the initial replay", async () => {
      await api(server, "POST", "/api/sessions/c5/events", [
        { event: "skill:started", payload: { skill: "a" } },
        { event: "file:created", payload: { path: "x" } },
        { event: "skill:completed", payload: { skill: "a" } },
      ]);
      const socket = await TestSocket.open(server, "?session=c5&events=skill:*");
      try {
        const subscribed = await socket.next((f) => f.event === "subscribed");
        assert.deepEqual(socket.events("c5").map((f: Frame) => [f.seq, f.event]), [
          [1, "skill:started"],
          [3, "skill:completed"],
        ]);
        assert.equal(subscribed.payload.replayed, 2);
      } finally {
        await socket.close();
      }
    });

    await t.step("a bad query gets a coded reason, then close 4000", async () => {
      // Upgraded first and then closed, because a browser cannot read a refused handshake.
      for (
        const [query, field] of [
          ["?role=boss", "query.role"],
          ["?session=has%20space", "query.session"],
          ["?session=ok&lastSeq=-1", "query.lastSeq"],
          ["?session=ok&lastSeq=abc", "query.lastSeq"],
          ["?events=a*b", "query.events.0"],
        ]
      ) {
        const { error, close } = await refusedQuery(server, query);
        assert.equal(close.code, 4000, query);
        assert.equal(error.payload.code, "INVALID_FRAME", query);
        assert.match(error.payload.message, new RegExp(`"${field.replaceAll(".", "\\.")}"`), query);
      }
    });

    await t.step("GET /ws without an upgrade is a coded 400", async () => {
      const res = await api(server, "GET", "/ws?session=s");
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
      assert.equal(res.body.error.code, "INVALID_FRAME");
      const health = await api(server, "GET", "/health");
      assert.equal(health.status, 200);
      assert.equal(health.body.status, "healthy");
    });
  } finally {
    await server.close();
  }
});

Deno.test("closing the server closes its sockets with 1012 (service restart)", async () => {
  const server = await startTestServer();
  const socket = await TestSocket.open(server, "?session=bye");
  try {
    await socket.next((f) => f.event === "subscribed");
    await server.close();
    const event = await socket.closed();
    assert.equal(event.code, 1012);
  } finally {
    await socket.close();
    await server.close();
  }
});
