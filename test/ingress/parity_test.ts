/**
 * @module Every way in refuses the same input with the same code and message: each bad publish
 * is sent as a WebSocket frame and as a REST body to one real server, and the answers compared.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";

/** Nests `{a: ...}` `levels` deep. */
function nested(levels: number): unknown {
  let value: unknown = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** A bad publish: the session it names and the event as sent. */
interface Row {
  name: string;
  session: string;
  event: Frame;
  code: string;
  message: RegExp;
}

const ROWS: Row[] = [
  {
    name: "payload deeper than the limit",
    session: "p",
    event: { event: "custom:deep", payload: nested(5) },
    code: "INVALID_FRAME",
    message: /deeper than 4 levels/,
  },
  {
    name: "event name over the limit",
    session: "p",
    event: { event: "custom:a-very-long-name", payload: {} },
    code: "INVALID_FRAME",
    message: /Event names are at most 16 characters/,
  },
  {
    name: "session id over the limit",
    session: "s".repeat(13),
    event: { event: "custom:x", payload: {} },
    code: "INVALID_FRAME",
    message: /Session ids are at most 12 characters/,
  },
  {
    name: "session id with a space",
    session: "no%20way",
    event: { event: "custom:x", payload: {} },
    code: "INVALID_FRAME",
    message: /"session"/,
  },
  {
    name: "unknown event",
    session: "p",
    event: { event: "nope:nothing", payload: {} },
    code: "UNKNOWN_EVENT",
    message: /nope:nothing/,
  },
  {
    name: "payload of the wrong type",
    session: "p",
    event: { event: "skill:started", payload: { skill: 42 } },
    code: "INVALID_PAYLOAD",
    message: /"payload\.skill"/,
  },
  {
    name: "event with a space",
    session: "p",
    event: { event: "skill started", payload: {} },
    code: "INVALID_FRAME",
    message: /"event"/,
  },
];

Deno.test("REST and WebSocket refuse the same publishes with the same code and message", async (t) => {
  const server = await startTestServer({
    maxPayloadDepth: 4,
    maxEventNameLength: 16,
    maxSessionIdLength: 12,
    maxFrameBytes: 2048,
  });
  const socket = await TestSocket.open(server, "?role=orchestrator");
  try {
    for (const row of ROWS) {
      await t.step(row.name, async () => {
        const overWs = await socket.request({
          ...row.event,
          session: decodeURIComponent(row.session),
        });
        const overRest = await api(
          server,
          "POST",
          `/api/sessions/${row.session}/events`,
          row.event,
        );
        assert.equal(overWs.ok, false);
        assert.equal(overWs.error.code, row.code, overWs.error.message);
        assert.match(overWs.error.message, row.message);
        assert.equal(overRest.body.error.code, row.code, overRest.body.error.message);
        assert.equal(overRest.body.error.message, overWs.error.message, "the same message");
      });
    }
    await t.step("a body or frame over the size limit: FRAME_TOO_LARGE on both", async () => {
      const big = { event: "custom:big", payload: { text: "x".repeat(4096) } };
      const overRest = await api(server, "POST", "/api/sessions/p/events", big);
      assert.equal(overRest.status, 413);
      assert.equal(overRest.body.error.code, "FRAME_TOO_LARGE");
      const sender = await TestSocket.open(server, "?role=orchestrator");
      sender.send({ ...big, session: "p" });
      const error = await sender.next((f) => f.event === "error");
      assert.equal(error.payload.code, "FRAME_TOO_LARGE");
      assert.equal((await sender.closed()).code, 4009);
    });
    assert.equal((await api(server, "GET", "/api/sessions/p")).status, 404, "nothing stored");
  } finally {
    await socket.close();
    await server.close();
  }
});

Deno.test("REST refuses a 5,000-deep payload with default settings, as the WebSocket does", async () => {
  const server = await startTestServer();
  try {
    const deep = { event: "custom:deep", payload: nested(5_000) };
    const overRest = await api(server, "POST", "/api/sessions/deep/events", deep);
    assert.equal(overRest.status, 400);
    assert.equal(overRest.body.error.code, "INVALID_FRAME");
    assert.match(overRest.body.error.message, /deeper than 32 levels/);
    const fine = await api(server, "POST", "/api/sessions/deep/events", {
      event: "custom:ok",
      payload: nested(32),
    });
    assert.equal(fine.status, 201, "depth 32 is allowed");
  } finally {
    await server.close();
  }
});
