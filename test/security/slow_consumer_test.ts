/**
 * @module A client that stops reading is closed as a slow consumer (4101) once its outbound
 * buffer passes `maxBufferedBytes`, while a client that keeps up on the same session receives
 * every event in order and the server stays healthy; the same for a stalled client that asked for
 * array frames (`batch=1`), whose queued frames count against the budget before they are joined.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import { assertHealthy, assertSeqRun, connectionTotal, RawSocket } from "./_abuse.ts";

const SESSION = "slow";
/** The smallest budget the configuration allows. */
const MAX_BUFFERED_BYTES = 65_536;
/** Big enough that two queued frames pass the budget, small enough that one fits in it. */
const PAYLOAD_BYTES = 60 * 1024;
/** Loopback socket buffers hold a few MB of a reader that never reads; stop well past that. */
const MAX_PUBLISHED_BYTES = 40 * 1024 * 1024;

for (const batch of ["", "&batch=1"]) {
  Deno.test(`A client that stops reading is closed with 4101 while others keep their stream${batch}`, async (t) => {
    const server = await startTestServer({ maxBufferedBytes: MAX_BUFFERED_BYTES });
    const fast = await TestSocket.open(server, `?session=${SESSION}&role=dashboard`);
    await fast.next((f) => f.event === "subscribed");
    // Deno's WebSocket always reads, so the stalled client is a hand-made upgrade over bare TCP
    // that reads the 101 head and then nothing, until the end of the test.
    const upgrade = await RawSocket.upgrade(
      server,
      `/ws?session=${SESSION}&role=dashboard${batch}`,
    );
    const slow = upgrade.socket;
    try {
      assert.equal(upgrade.status, 101);
      await waitFor(async () => (await connectionTotal(server)) === 2 || undefined, "two sockets");

      let published = 0;
      await t.step("publishing large events closes the stalled client only", async () => {
        const filler = "x".repeat(PAYLOAD_BYTES);
        while ((await connectionTotal(server)) === 2) {
          assert.ok(
            published * PAYLOAD_BYTES < MAX_PUBLISHED_BYTES,
            `The stalled client was still open after ${published} events of ${PAYLOAD_BYTES} bytes`,
          );
          // One event per request: a single fan-out then queues one frame per socket, which a
          // socket whose reader keeps up writes out before the next one.
          const seq = published + 1;
          const res = await api(server, "POST", `/api/sessions/${SESSION}/events`, [
            { event: "custom:blob", payload: { n: seq, filler } },
          ]);
          assert.equal(res.status, 201, JSON.stringify(res.body));
          assert.deepEqual(res.body.seqs, [seq]);
          published = seq;
          await fast.next((f) => f.seq === seq, 10_000);
        }
        const stats = await api(server, "GET", "/api/stats");
        assert.deepEqual(stats.body.connections.bySession, { [SESSION]: 1 });
        assert.equal(fast.isOpen, true);
        console.log(`The stalled client was closed after ${published} events`);
      });

      await t.step("the client that kept up has every event, in order", async () => {
        // A few more after the close: delivery to the reader goes on.
        for (let seq = published + 1; seq <= published + 3; seq++) {
          const res = await api(server, "POST", `/api/sessions/${SESSION}/events`, [
            { event: "custom:blob", payload: { n: seq } },
          ]);
          assert.equal(res.status, 201);
        }
        const events = await fast.waitForEvents(SESSION, published + 3, 10_000);
        assertSeqRun(events, 1, published + 3, "fast dashboard");
        assert.ok(events.every((f) => f.payload.n === f.seq));
      });

      await t.step("the stalled client finds a 4101 close after what it had buffered", async () => {
        const frames = await slow.readFrames((f) => f.opcode === 8, MAX_PUBLISHED_BYTES);
        const close = frames.at(-1)!;
        assert.equal(close.closeCode, 4101, close.text);
        // What did reach it is a gap-free prefix: resuming from its last seq loses nothing.
        const seqs = frames.filter((f) => f.opcode === 1).flatMap((f) => JSON.parse(f.text))
          .filter((f) => typeof f.seq === "number").map((f) => f.seq);
        assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
        // Frames queued before the close are still flushed; nothing published after it is.
        assert.ok(seqs.length <= published, `${seqs.length} events after ${published} published`);
      });
    } finally {
      slow.close();
      await fast.close();
      await waitFor(async () => (await connectionTotal(server)) === 0 || undefined, "no sockets");
      await assertHealthy(server);
      await server.close();
    }
  });
}
