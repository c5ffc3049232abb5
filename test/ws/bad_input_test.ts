/**
 * @module The bad-input table: every malformed or misdirected frame gets exactly one coded
 * answer (an ack when it has an id, an error frame otherwise), the sender stays connected
 * (except after an over-size frame), and another client's stream on the same session goes on
 * without a gap while it happens. Over-size frames are in frame_size_test.ts.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";
import { assertSeqRun } from "./_stream.ts";

const MAX_FRAME_BYTES = 2048;

/** One bad input: what to send, from whom, and the code (and message) it must earn. */
interface Case {
  name: string;
  from: "bare" | "double" | "orchestrator";
  send: Frame | string | Uint8Array;
  code: string;
  message?: RegExp;
}

/** Cases without an `id` in `send` expect an error frame, the others an ack. */
const CASES: Case[] = [
  { name: "not JSON", from: "bare", send: "{oops", code: "BAD_JSON" },
  { name: "empty text", from: "bare", send: "", code: "BAD_JSON" },
  { name: "an array", from: "bare", send: "[1,2]", code: "INVALID_FRAME" },
  { name: "a number", from: "bare", send: "42", code: "INVALID_FRAME" },
  { name: "null", from: "bare", send: "null", code: "INVALID_FRAME" },
  { name: "a JSON string", from: "bare", send: '"hi"', code: "INVALID_FRAME" },
  { name: "a binary frame", from: "bare", send: new Uint8Array([1, 2, 3]), code: "INVALID_FRAME" },
  { name: "no event", from: "bare", send: { id: "c1" }, code: "INVALID_FRAME", message: /"event"/ },
  {
    name: "event with a space",
    from: "bare",
    send: { id: "c2", event: "skill started" },
    code: "INVALID_FRAME",
    message: /"event"/,
  },
  {
    name: "an id that is an object",
    from: "bare",
    send: { id: { no: 1 }, event: "ping", payload: { t: 1 } },
    code: "INVALID_FRAME",
    message: /"id"/,
  },
  {
    name: "a bad session id",
    from: "bare",
    send: { id: "c3", event: "chat:message", session: "no way", payload: { text: "x" } },
    code: "INVALID_FRAME",
    message: /"session"/,
  },
  {
    name: "an unknown event",
    from: "orchestrator",
    send: { id: "c4", event: "nope:nothing", session: "bad", payload: {} },
    code: "UNKNOWN_EVENT",
    message: /nope:nothing/,
  },
  ...["ack", "error", "connected", "subscribed", "session:deleted", "presence", "custom:"]
    .map((event, i): Case => ({
      name: `the reserved or incomplete name "${event}"`,
      from: "orchestrator",
      send: { id: `r${i}`, event, session: "bad", payload: {} },
      code: "UNKNOWN_EVENT",
    })),
  {
    name: "a payload missing a field",
    from: "orchestrator",
    send: { id: "c5", event: "skill:started", session: "bad", payload: {} },
    code: "INVALID_PAYLOAD",
    message: /"payload\.skill"/,
  },
  {
    name: "a payload with a wrong type",
    from: "orchestrator",
    send: {
      id: "c6",
      event: "decision:point",
      session: "bad",
      payload: { decisionId: "d", question: "q", options: [] },
    },
    code: "INVALID_PAYLOAD",
    message: /"payload\.options"/,
  },
  {
    name: "a payload that is not an object",
    from: "orchestrator",
    send: { event: "agent:thought", session: "bad", payload: "thinking" },
    code: "INVALID_PAYLOAD",
  },
  {
    name: "a publish without session from a connection holding none",
    from: "bare",
    send: { id: "c7", event: "chat:message", payload: { text: "hi" } },
    code: "SESSION_REQUIRED",
    message: /0 sessions/,
  },
  {
    name: "a publish without session from a connection holding two",
    from: "double",
    send: { id: "c8", event: "chat:message", payload: { text: "hi" } },
    code: "SESSION_REQUIRED",
    message: /2 sessions/,
  },
  {
    name: "a command without session from a connection holding two",
    from: "double",
    send: { event: "command", payload: { type: "HALT" } },
    code: "SESSION_REQUIRED",
  },
  {
    name: "a subscribe without session",
    from: "bare",
    send: { id: "c9", event: "subscribe", payload: {} },
    code: "SESSION_REQUIRED",
  },
  {
    name: "a subscribe with a negative lastSeq",
    from: "bare",
    send: { id: "c10", event: "subscribe", session: "bad", payload: { lastSeq: -1 } },
    code: "INVALID_PAYLOAD",
    message: /"payload\.lastSeq"/,
  },
  {
    name: "a subscribe with a bad filter",
    from: "bare",
    send: { id: "c11", event: "subscribe", session: "bad", payload: { events: ["a*b"] } },
    code: "INVALID_PAYLOAD",
    message: /"payload\.events\.0"/,
  },
  {
    name: "a dashboard publishing an orchestrator event",
    from: "double",
    send: { id: "c12", event: "skill:started", session: "bad", payload: { skill: "s" } },
    code: "FORBIDDEN",
  },
  {
    name: "an orchestrator sending a command",
    from: "orchestrator",
    send: { id: "c13", event: "command", session: "bad", payload: { type: "HALT" } },
    code: "FORBIDDEN",
  },
  {
    name: "a command with an unknown type",
    from: "double",
    send: { id: "c14", event: "command", session: "bad", payload: { type: "NUKE" } },
    code: "INVALID_COMMAND",
    message: /"payload\.type"/,
  },
];

Deno.test("bad input gets coded answers and hurts no one", async () => {
  const server = await startTestServer({ maxFrameBytes: MAX_FRAME_BYTES });
  const observer = await TestSocket.open(server, "?session=bad");
  const publisher = await TestSocket.open(server, "?session=bad&role=orchestrator&events=none");
  const senders = {
    bare: await TestSocket.open(server),
    double: await TestSocket.open(server, "?session=bad"),
    orchestrator: await TestSocket.open(server, "?role=orchestrator"),
  };
  let publishing = true;
  let published = 0;
  // Publishes without pause while the bad input goes in; each ack is awaited, so the last
  // acked seq is the stream's head when the loop stops.
  const stream = (async () => {
    while (publishing) {
      published = (await publisher.request({ event: "custom:tick", payload: {} })).seq;
    }
  })();
  try {
    await observer.next((f) => f.event === "subscribed");
    await senders.double.request({ event: "subscribe", session: "bad2" });

    for (const [i, c] of CASES.entries()) {
      const socket = senders[c.from];
      const from = socket.mark();
      const id = typeof c.send === "object" && !(c.send instanceof Uint8Array)
        ? c.send.id
        : undefined;
      const expectsAck = typeof id === "string";
      if (c.send instanceof Uint8Array) socket.sendBinary(c.send);
      else socket.send(c.send);
      const reply = await socket.nextFrom(
        from,
        (f) => expectsAck ? f.event === "ack" && f.id === id : f.event === "error",
      );
      const body = expectsAck ? reply.payload.error : reply.payload;
      assert.ok(body, `${c.name}: ${JSON.stringify(reply)}`);
      if (expectsAck) assert.equal(reply.payload.ok, false, c.name);
      assert.equal(body.code, c.code, `${c.name}: ${body.message}`);
      assert.equal(typeof body.message, "string");
      if (c.message) assert.match(body.message, c.message, c.name);
      // The sender is still connected and still served.
      socket.send({ event: "ping", id: `probe-${i}`, payload: { t: i } });
      await socket.nextFrom(from, (f) => f.event === "pong" && f.id === `probe-${i}`);
      assert.ok(socket.isOpen, `${c.name}: still open`);
    }

    // Exactly one answer per bad frame: one ack per id, one error frame per id-less frame.
    for (const [name, socket] of Object.entries(senders)) {
      const mine = CASES.filter((c) => c.from === name);
      const ids = mine.map((c) => (c.send as Frame).id).filter((id) => typeof id === "string");
      const acks = socket.frames.filter((f) => f.event === "ack" && ids.includes(f.id));
      assert.equal(acks.length, ids.length, `${name}: acks`);
      const errors = socket.frames.filter((f) => f.event === "error");
      assert.equal(errors.length, mine.length - ids.length, `${name}: error frames`);
    }

    publishing = false;
    await stream;
    assert.ok(published > 0);
    const events = await observer.waitForEvents("bad", published);
    assertSeqRun(events, 1, published, "observer");
    assert.equal(observer.frames.some((f) => f.event === "error" || f.event === "ack"), false);
    const health = await api(server, "GET", "/health");
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "healthy");
  } finally {
    publishing = false;
    await stream.catch(() => {});
    for (const socket of [observer, publisher, ...Object.values(senders)]) await socket.close();
    await server.close();
  }
});
