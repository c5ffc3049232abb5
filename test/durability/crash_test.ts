/**
 * @module Crash safety: a server killed with SIGKILL mid-stream loses no acknowledged event.
 */
import assert from "node:assert/strict";
import { freePort, spawnServer } from "./_process.ts";

/** Publishes `custom:n` events pipelined (a window of 32 in flight) until `stop()`. */
function publishUntilStopped(url: string) {
  const acked = new Map<number, number>(); // seq -> i
  const ws = new WebSocket(`${url.replace("http", "ws")}/ws?session=crash&role=orchestrator`);
  let next = 0;
  let stopped = false;
  const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
  const send = () => {
    if (!stopped && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ event: "custom:n", id: next, payload: { i: next } }));
      next++;
    }
  };
  ws.addEventListener("message", (message) => {
    const frame = JSON.parse(message.data as string);
    if (frame.event === "subscribed") { for (let k = 0; k < 32; k++) send(); }
    if (frame.event === "ack" && frame.payload.ok) {
      acked.set(frame.payload.seq, frame.id);
      send();
    }
  });
  return {
    acked,
    stop() {
      stopped = true;
      return closed;
    },
  };
}

Deno.test("kill -9 mid-stream: every acknowledged event is stored with its seq, no gaps", async () => {
  const dir = await Deno.makeTempDir();
  const port = freePort();
  const args = ["--store", `sqlite:${dir}/crash.db`, "--heartbeat-ms", "0"];
  let server = await spawnServer(port, args);
  try {
    const publisher = publishUntilStopped(server.url);
    while (publisher.acked.size < 300) await new Promise((r) => setTimeout(r, 5));
    const status = await server.stop("SIGKILL");
    assert.equal(status.signal, "SIGKILL");
    await publisher.stop();
    const acked = new Map(publisher.acked);

    server = await spawnServer(port, args);
    const events = [];
    for (let after = 0;;) {
      const page =
        await (await fetch(`${server.url}/api/sessions/crash/events?after=${after}&limit=1000`))
          .json();
      events.push(...page.events);
      if (page.events.length === 0) break;
      after = page.nextAfter;
    }
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: events.length }, (_, i) => i + 1),
    );
    assert.ok(events.length >= acked.size, `${events.length} stored < ${acked.size} acked`);
    for (const [seq, i] of acked) assert.equal(events[seq - 1].payload.i, i, `seq ${seq}`);
    // And the stream continues after the last stored seq.
    const more = await fetch(`${server.url}/api/sessions/crash/events`, {
      method: "POST",
      body: JSON.stringify({ event: "custom:after" }),
    });
    assert.deepEqual((await more.json()).seqs, [events.length + 1]);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
