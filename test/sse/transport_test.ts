/**
 * @module SseTransport: records of one turn go out as one chunk, queued bytes count as
 * `bufferedAmount`, pings are answered not written, and closing writes a last `close` record.
 */
import assert from "node:assert/strict";
import { encodeSessionEvent } from "../../src/protocol/encode.ts";
import { SseEncoder } from "../../src/sse/encoder.ts";
import { SseTransport } from "../../src/sse/transport.ts";

const frame = (seq: number) =>
  encodeSessionEvent("s", { seq, event: "custom:n", data: "{}", ts: 1 });

Deno.test("SseTransport sends one chunk per turn and ends with a close record", async () => {
  const pings: number[] = [];
  let ended = 0;
  const transport = new SseTransport({
    encoder: new SseEncoder(),
    onPing: (t) => pings.push(t),
    onEnd: () => ended++,
  });
  const reader = transport.readable.getReader();
  transport.send(frame(1));
  transport.send('{"event":"ping","payload":{"t":9}}');
  transport.send(frame(2));
  assert.ok(transport.bufferedAmount > 0, "queued bytes count before they are read");
  const { value } = await reader.read();
  const text = new TextDecoder().decode(value);
  assert.equal(text.match(/^id: /gm)?.length, 2, "both records in one chunk");
  assert.deepEqual(pings, [9]);
  assert.equal(transport.bufferedAmount, 0);
  transport.close(4101, "Slow consumer");
  const last = new TextDecoder().decode((await reader.read()).value);
  assert.equal(last, 'event: close\ndata: {"code":4101,"reason":"Slow consumer"}\n\n');
  assert.equal((await reader.read()).done, true);
  assert.equal(ended, 1);
  assert.equal(transport.isOpen, false);
  transport.send(frame(3)); // after close: dropped, no throw
});
