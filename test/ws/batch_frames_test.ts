/**
 * @module Array frames (`batch=1`): a client that asks for them gets what the server queued
 * within one event-loop turn as one `[f1,f2,…]` frame, in order, each element exactly the frame
 * it would have got alone; a client that did not ask never sees an array; a close still comes
 * after what was queued before it; a bad `batch` value is an invalid connect query.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { type Frame, startTestServer } from "../_helpers.ts";

const SESSION = "batched";
const EVENTS = 200;

/** A WebSocket that keeps every message as received (text), parsed or not. */
class RawClient {
  readonly messages: string[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<CloseEvent>;

  constructor(server: RunningServer, query: string) {
    this.ws = new WebSocket(`${server.url.replace("http", "ws")}/ws${query}`);
    this.ws.onmessage = (message) => this.messages.push(message.data as string);
    this.closed = new Promise((resolve) => this.ws.onclose = resolve);
  }

  /** Every frame received, array frames flattened, in order. */
  get frames(): Frame[] {
    return this.messages.flatMap((text) => JSON.parse(text));
  }

  /** How many messages were array frames. */
  get arrays(): number {
    return this.messages.filter((text) => text.startsWith("[")).length;
  }

  async until(done: (frames: Frame[]) => boolean, what: string): Promise<Frame[]> {
    const deadline = Date.now() + 10_000;
    while (!done(this.frames)) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.frames;
  }

  async close(): Promise<void> {
    this.ws.close();
    await this.closed;
  }
}

const seqsOf = (frames: Frame[]) =>
  frames.filter((f) => f.session === SESSION && typeof f.seq === "number").map((f) => f.seq);

Deno.test("array frames: a burst of publishes goes out as few frames, in order, to those who asked", async () => {
  const server = await startTestServer();
  const batched = new RawClient(server, `?session=${SESSION}&batch=1`);
  const plain = new RawClient(server, `?session=${SESSION}&batch=0`);
  const orchestrator = new RawClient(server, "?role=orchestrator&batch=1");
  try {
    for (const client of [batched, plain]) {
      await client.until((f) => f.some((x) => x.event === "subscribed"), "subscribed");
    }
    await orchestrator.until((f) => f.some((x) => x.event === "connected"), "connected");
    // One burst: all of it arrives within a few event-loop turns of the server.
    const burst = Array.from({ length: EVENTS }, (_, i) =>
      JSON.stringify({
        event: "custom:step",
        session: SESSION,
        id: i + 1,
        payload: { i: i + 1, text: "ü→€" },
      }));
    for (const frame of burst) orchestrator.ws.send(frame);

    const acks = (await orchestrator.until(
      (f) => f.filter((x) => x.event === "ack").length === EVENTS,
      "every ack",
    )).filter((f) => f.event === "ack");
    assert.deepEqual(acks.map((a) => a.id), burst.map((_, i) => i + 1));
    assert.deepEqual(
      acks.map((a) => a.payload.seqs?.[0] ?? a.payload.seq),
      seqsOf(
        await batched.until((f) => seqsOf(f).length === EVENTS, "every event"),
      ),
    );
    const expected = Array.from({ length: EVENTS }, (_, i) => i + 1);
    assert.deepEqual(seqsOf(batched.frames), expected);
    assert.deepEqual(
      seqsOf(await plain.until((f) => seqsOf(f).length === EVENTS, "all")),
      expected,
    );
    // Each element is the frame a plain client gets, byte for byte once re-encoded.
    const plainEvents = plain.frames.filter((f) => f.seq !== undefined);
    assert.deepEqual(batched.frames.filter((f) => f.seq !== undefined), plainEvents);
    assert.equal(plain.arrays, 0, "a client that did not ask never gets an array frame");
    assert.ok(batched.arrays > 0, "the burst was coalesced for the batched dashboard");
    assert.ok(orchestrator.arrays > 0, "and so were the acks");
    const eventMessages = batched.messages.filter((m) => m.includes('"seq"')).length;
    assert.ok(eventMessages < EVENTS, `${eventMessages} messages for ${EVENTS} events`);
    assert.ok(
      batched.messages.every((m) => !m.startsWith("[") || JSON.parse(m).length > 1),
      "a lone frame goes as it is, never as a one-element array",
    );
  } finally {
    await Promise.all([batched.close(), plain.close(), orchestrator.close()]);
    await server.close();
  }
});

Deno.test("array frames: what was queued before a close is sent before it", async () => {
  const server = await startTestServer({ maxFrameBytes: 1024 });
  const client = new RawClient(server, "?batch=1");
  try {
    await client.until((f) => f.some((x) => x.event === "connected"), "connected");
    client.ws.send(JSON.stringify({ event: "ping", id: 1, payload: {} }));
    client.ws.send(JSON.stringify({ event: "custom:big", payload: { x: "y".repeat(2000) } }));
    const close = await client.closed;
    assert.equal(close.code, 4009);
    // The ping's answer and the error were queued in the same turn as the close.
    const [answer, error] = client.frames.slice(-2);
    assert.equal(answer.id, 1);
    assert.equal(error.payload.code, "FRAME_TOO_LARGE");
  } finally {
    await server.close();
  }
});

Deno.test("array frames: batch must be 0 or 1", async () => {
  const server = await startTestServer();
  const client = new RawClient(server, "?batch=yes");
  try {
    const close = await client.closed;
    assert.equal(close.code, 4000);
    const [error] = client.frames;
    assert.equal(error.payload.code, "INVALID_FRAME");
    assert.match(error.payload.message, /query\.batch/);
  } finally {
    await server.close();
  }
});
