/**
 * @module An SSE reader that stops reading is dropped as a slow consumer, like a WebSocket one,
 * while a reader that keeps up gets every event: the outbound budget bounds the server's memory.
 */
import assert from "node:assert/strict";
import { api, startTestServer, waitFor } from "../_helpers.ts";
import { SseReader } from "./_reader.ts";

const MAX_BUFFERED_BYTES = 65_536;
const PAYLOAD_BYTES = 60 * 1024;
const MAX_PUBLISHED_BYTES = 40 * 1024 * 1024;

Deno.test("a stalled SSE reader is closed once over its budget; a fast one keeps its stream", async () => {
  const server = await startTestServer({ maxBufferedBytes: MAX_BUFFERED_BYTES });
  const fast = await SseReader.open(`${server.url}/api/sessions/slow/stream`);
  // The stalled reader sends its request over bare TCP and then never reads a byte.
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await tcp.write(
      new TextEncoder().encode(
        "GET /api/sessions/slow/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
      ),
    );
    await waitFor(() => server.hub.connectionCount === 2 || undefined, "two readers");
    const filler = "x".repeat(PAYLOAD_BYTES);
    let published = 0;
    while (server.hub.connectionCount === 2) {
      assert.ok(published * PAYLOAD_BYTES < MAX_PUBLISHED_BYTES, "the stalled reader stayed");
      const seq = ++published;
      const res = await api(server, "POST", "/api/sessions/slow/events", {
        event: "custom:blob",
        payload: { n: seq, filler },
      });
      assert.deepEqual(res.body.seqs, [seq]);
      await fast.until((r) => r.some((x) => x.id === String(seq)), `event ${seq}`, 10_000);
    }
    console.log(`The stalled SSE reader was closed after ${published} events`);
    await api(server, "POST", "/api/sessions/slow/events", { event: "custom:after" });
    await fast.until((r) => r.some((x) => x.event === "custom:after"), "the event after");
    const seqs = fast.events.map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: published + 1 }, (_, i) => i + 1));
  } finally {
    tcp.close();
    await fast.close();
    await server.close();
  }
});
