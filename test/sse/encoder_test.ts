/**
 * @module The SSE encoder: records as the stream sends them, pings swallowed, and one encode
 * per frame however many readers share it; the keep-alive ticker runs only while needed.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { encodeFrame, encodeSessionEvent } from "../../src/protocol/encode.ts";
import { SseEncoder } from "../../src/sse/encoder.ts";
import { KeepAlive } from "../../src/sse/keepalive.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("SseEncoder.encode() turns frames into records", () => {
  const encoder = new SseEncoder();
  const frame = encodeSessionEvent("s", { seq: 7, event: "skill:started", data: '{"a":1}', ts: 1 });
  const record = encoder.encode(frame);
  assert.equal(record.kind, "event");
  assert.equal(text(record.bytes), `id: 7\nevent: skill:started\ndata: ${frame}\n\n`);
  assert.equal(encoder.encode(frame), record, "the same frame is encoded once");
  const presence = encodeFrame("presence:joined", { id: "c" }, { session: "s", ts: 1 });
  assert.equal(
    text(encoder.encode(presence).bytes),
    `event: presence:joined\ndata: ${presence}\n\n`,
  );
  const ping = encoder.encode('{"event":"ping","payload":{"t":42}}');
  assert.deepEqual([ping.kind, ping.t, ping.bytes.length], ["ping", 42, 0]);
  assert.equal(
    encoder.encode(encodeFrame("session:deleted", {}, { session: "s" })).kind,
    "deleted",
  );
});

Deno.test("KeepAlive comments every 15 s while a stream is open, and stops after", () => {
  const clock = FakeTimers.install();
  try {
    const keepAlive = new KeepAlive();
    const written: string[] = [];
    const stop = keepAlive.add({ write: (bytes) => written.push(text(bytes)) });
    clock.tick(14_999);
    assert.equal(written.length, 0);
    clock.tick(1);
    assert.deepEqual(written, [": keep-alive\n\n"]);
    stop();
    assert.equal(clock.countTimers(), 0, "no timer without streams");
  } finally {
    clock.uninstall();
  }
});
