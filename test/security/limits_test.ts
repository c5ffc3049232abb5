/**
 * @module Each configurable frame limit, set small, gives its documented answer: INVALID_FRAME
 * for long event names, long session ids and deep payloads, LIMIT_EXCEEDED past the sessions a
 * connection may hold, FRAME_TOO_LARGE and close 4009 for an over-size frame. Only the last one
 * costs the connection; a very deep frame within the size limit costs nothing at all.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame, startTestServer, TestSocket, withTimeout } from "../_helpers.ts";
import { assertHealthy } from "./_abuse.ts";

/** Large enough for the 100,000-deep array below, small enough to pass cheaply. */
const MAX_FRAME_BYTES = 256 * 1024;
const LIMITS = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxEventNameLength: 16,
  maxSessionIdLength: 12,
  maxPayloadDepth: 4,
  maxSessionsPerConnection: 3,
};

/** Sends `frame` with an id and returns the error of its failed ack. */
async function refused(socket: TestSocket, frame: Frame): Promise<Frame> {
  const ack = await socket.request(frame);
  assert.equal(ack.ok, false, `Expected a refusal of ${JSON.stringify(frame).slice(0, 200)}`);
  return ack.error;
}

/** Sends `frame` with an id and asserts it succeeds. */
async function accepted(socket: TestSocket, frame: Frame): Promise<Frame> {
  const ack = await socket.request(frame);
  assert.equal(ack.ok, true, JSON.stringify(ack));
  return ack;
}

/** Proves the connection still works: a ping with an id is answered by its pong. */
async function assertStillOpen(socket: TestSocket): Promise<void> {
  const id = `alive-${crypto.randomUUID()}`;
  socket.send({ event: "ping", id, payload: { t: 1 } });
  await socket.next((f) => f.event === "pong" && f.id === id);
  assert.equal(socket.isOpen, true);
}

/** `{a: {a: ...}}` nested so that the outermost object is depth 1 and the innermost `depth`. */
function nested(depth: number): Frame {
  let value: Frame = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

function publish(name: string, payload: unknown, session = "lim"): Frame {
  return { event: name, session, payload };
}

async function withServer(fn: (server: RunningServer) => Promise<void>): Promise<void> {
  const server = await startTestServer(LIMITS);
  try {
    await fn(server);
    await assertHealthy(server);
  } finally {
    await server.close();
  }
}

Deno.test("Configured frame limits give their documented answers", async (t) => {
  await withServer(async (server) => {
    const socket = await TestSocket.open(server, "?session=lim&role=orchestrator");
    try {
      await t.step("maxEventNameLength: a longer name is INVALID_FRAME", async () => {
        await accepted(socket, publish("custom:123456789", {})); // 16 characters
        const error = await refused(socket, publish("custom:1234567890", {}));
        assert.equal(error.code, "INVALID_FRAME");
        assert.match(error.message, /at most 16 characters/);
        // Without an id the same refusal comes as an error frame.
        const mark = socket.mark();
        socket.send(publish("custom:1234567890", {}));
        const frame = await socket.nextFrom(mark, (f) => f.event === "error");
        assert.equal(frame.payload.code, "INVALID_FRAME");
        await assertStillOpen(socket);
      });

      await t.step("maxSessionIdLength: a longer id is INVALID_FRAME", async () => {
        await accepted(socket, publish("custom:x", {}, "abcdefghijkl")); // 12 characters
        for (
          const frame of [
            publish("custom:x", {}, "abcdefghijklm"),
            { event: "subscribe", session: "abcdefghijklm" },
            { event: "unsubscribe", session: "abcdefghijklm" },
            { event: "command", session: "abcdefghijklm", payload: { type: "RESUME" } },
          ]
        ) {
          const error = await refused(socket, frame);
          assert.equal(error.code, "INVALID_FRAME");
          assert.match(error.message, /Session ids are at most 12 characters/);
        }
        await assertStillOpen(socket);
      });

      await t.step("maxSessionIdLength also holds for the session named in the URL", async () => {
        // TestSocket.open waits for `connected`, which a refused query never gets.
        const url = `${server.url.replace("http", "ws")}/ws?session=abcdefghijklm&role=dashboard`;
        const ws = new WebSocket(url);
        const frames: Frame[] = [];
        ws.onmessage = (message) => frames.push(JSON.parse(message.data));
        const closed = new Promise<CloseEvent>((resolve) => ws.onclose = resolve);
        const close = await withTimeout(closed, 5000, "the refused socket to close");
        assert.equal(close.code, 4000);
        assert.equal(frames.length, 1, JSON.stringify(frames));
        assert.equal(frames[0].payload.code, "INVALID_FRAME");
        assert.match(frames[0].payload.message, /"query\.session".*at most 12 characters/);
        const list = await api(server, "GET", "/api/sessions");
        const ids = list.body.sessions.map((s: { id: string }) => s.id);
        assert.ok(!ids.includes("abcdefghijklm"), "A too-long session id was created from the URL");
      });

      await t.step(
        "maxPayloadDepth: one level deeper is INVALID_FRAME naming the depth",
        async () => {
          await accepted(socket, publish("custom:deep", nested(4)));
          for (
            const frame of [
              publish("custom:deep", nested(5)),
              publish("custom:deep", { list: [[[[1]]]] }),
              { event: "subscribe", session: "lim", payload: { events: ["x"], extra: nested(4) } },
            ]
          ) {
            const error = await refused(socket, frame);
            assert.equal(error.code, "INVALID_FRAME");
            assert.match(error.message, /deeper than 4 levels/);
          }
          await assertStillOpen(socket);
        },
      );

      await t.step(
        "a 100,000-deep frame within the size limit is refused, not a crash",
        async () => {
          const depth = 100_000;
          const deepArray = "[".repeat(depth) + "]".repeat(depth);
          const deepObject = '{"a":'.repeat(40_000) + "{}" + "}".repeat(40_000);
          const texts = [
            `{"event":"custom:deep","session":"lim","id":"d1","payload":${deepArray}}`,
            `{"event":"custom:deep","session":"lim","id":"d2","payload":${deepObject}}`,
            `{"event":"subscribe","session":"lim","id":"d3","payload":{"events":${deepArray}}}`,
            `{"event":"command","session":"lim","id":"d4","payload":{"type":${deepArray}}}`,
          ];
          for (const text of texts) {
            assert.ok(new TextEncoder().encode(text).length <= MAX_FRAME_BYTES);
            socket.send(text);
          }
          for (const id of ["d1", "d2", "d3", "d4"]) {
            const ack = await socket.next((f) => f.event === "ack" && f.id === id);
            assert.equal(ack.payload.error.code, "INVALID_FRAME");
            assert.match(ack.payload.error.message, /deeper than 4 levels/);
          }
          // Not an object at all, and an id that is itself deep: refused before any depth walk.
          const mark = socket.mark();
          socket.send(deepArray);
          socket.send(`{"event":"ping","id":${deepArray},"payload":{"t":1}}`);
          const errors = [
            await socket.nextFrom(mark, (f) => f.event === "error"),
            await socket.nextFrom(
              mark,
              (f) => f.event === "error" && f.payload.message.match(/id/),
            ),
          ];
          assert.deepEqual(
            errors.map((f) => f.payload.code),
            ["INVALID_FRAME", "INVALID_FRAME"],
          );
          await assertStillOpen(socket);
        },
      );
    } finally {
      await socket.close();
    }

    await t.step("maxSessionsPerConnection: the next session is LIMIT_EXCEEDED", async () => {
      const dashboard = await TestSocket.open(server, "?session=held-1&role=dashboard");
      try {
        await dashboard.next((f) => f.event === "subscribed");
        await accepted(dashboard, { event: "subscribe", session: "held-2" });
        await accepted(dashboard, { event: "subscribe", session: "held-3" });
        const error = await refused(dashboard, { event: "subscribe", session: "held-4" });
        assert.equal(error.code, "LIMIT_EXCEEDED");
        assert.match(error.message, /at most 3 sessions/);
        // Subscribing again to a held session replaces it, so it fits.
        await accepted(dashboard, {
          event: "subscribe",
          session: "held-2",
          payload: { lastSeq: 0 },
        });
        await accepted(dashboard, { event: "subscribe", session: "held-1" });
        // Leaving one frees its place.
        await accepted(dashboard, { event: "unsubscribe", session: "held-3" });
        await accepted(dashboard, { event: "subscribe", session: "held-4" });
        const again = await refused(dashboard, { event: "subscribe", session: "held-5" });
        assert.equal(again.code, "LIMIT_EXCEEDED");
        await assertStillOpen(dashboard);
      } finally {
        await dashboard.close();
      }
    });

    await t.step(
      "maxFrameBytes: a frame at the limit passes, one byte more closes 4009",
      async () => {
        const socket = await TestSocket.open(server, "?session=lim&role=orchestrator");
        try {
          const frame = (padding: string) =>
            JSON.stringify({
              event: "custom:big",
              session: "lim",
              id: "big",
              payload: { padding },
            });
          const exact = frame("x".repeat(MAX_FRAME_BYTES - frame("").length));
          assert.equal(exact.length, MAX_FRAME_BYTES);
          socket.send(exact);
          const ack = await socket.next((f) => f.event === "ack" && f.id === "big");
          assert.equal(ack.payload.ok, true, JSON.stringify(ack));

          const mark = socket.mark();
          socket.send(frame("x".repeat(MAX_FRAME_BYTES + 1 - frame("").length)));
          const error = await socket.nextFrom(mark, (f) => f.event === "error");
          assert.equal(error.payload.code, "FRAME_TOO_LARGE");
          assert.equal((await socket.closed()).code, 4009);
        } finally {
          await socket.close();
        }
      },
    );

    await t.step("maxFrameBytes counts UTF-8 bytes, not characters", async () => {
      const socket = await TestSocket.open(server, "?session=lim&role=orchestrator");
      try {
        // 100,000 characters, 300,000 bytes: under the limit by length, over it by size.
        socket.send(JSON.stringify(publish("custom:euro", { text: "€".repeat(100_000) })));
        const error = await socket.next((f) => f.event === "error");
        assert.equal(error.payload.code, "FRAME_TOO_LARGE");
        assert.equal((await socket.closed()).code, 4009);
      } finally {
        await socket.close();
      }
    });

    await t.step("maxFrameBytes also bounds REST bodies (413 FRAME_TOO_LARGE)", async () => {
      const body = [{ event: "custom:big", payload: { padding: "x".repeat(MAX_FRAME_BYTES) } }];
      const res = await api(server, "POST", "/api/sessions/lim/events", body);
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, "FRAME_TOO_LARGE");
    });
  });
});
