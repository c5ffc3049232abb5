/**
 * @module Fuzzing the WebSocket edge: over ten thousand random and mutated frames from several
 * connections each get the answer the protocol owes them (one ack per valid id, coded errors
 * only, documented close codes only), while a well-behaved orchestrator's stream reaches a
 * well-behaved dashboard whole, and the server stays healthy. The seed is fixed and printed;
 * set FUZZ_SEED to try another.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";
import { assertHealthy, assertSeqRun } from "./_abuse.ts";
import { blueprintArbitrary } from "./_fuzz_frames.ts";
import { Fuzzer } from "./_fuzzer.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 5_2025);
const RUNS = 80;
/** Per fuzzer and run; 6 fuzzers × 22 × 80 runs guarantees more than 10,000 frames. */
const BATCH = { minLength: 22, maxLength: 30 };
const FUZZER_QUERIES = [
  "?role=orchestrator",
  "?session=fz-0&role=orchestrator",
  "?role=dashboard",
  "?session=fz-1&role=dashboard",
  "?role=admin",
  "?session=fz-2",
];
const STREAM = "wb-main";
const STREAM_PER_RUN = 3;

Deno.test("Fuzzed frames get their coded answers and leave a well-behaved stream whole", async (t) => {
  console.log(`Fuzz seed ${SEED}: rerun with FUZZ_SEED=${SEED} to replay`);
  // Generous frame limits, so the fuzzers are not rate limited away; a low command rate, so
  // RATE_LIMITED is among the answers too.
  const server = await startTestServer({ frameRate: 5_000, commandRate: 5, abuseLimit: 1_000_000 });
  const dashboard = await TestSocket.open(server, `?session=${STREAM}&role=dashboard`);
  const orchestrator = await TestSocket.open(server, `?session=${STREAM}&role=orchestrator`);
  const fuzzers: Fuzzer[] = [];
  try {
    for (const [i, query] of FUZZER_QUERIES.entries()) {
      fuzzers.push(await Fuzzer.open(server, query, `fuzzer${i}`));
    }
    let published = 0;
    const publishSome = async () => {
      for (let i = 0; i < STREAM_PER_RUN; i++) {
        const n = ++published;
        const ack = await orchestrator.request({
          event: "custom:wb",
          session: STREAM,
          payload: { n },
        });
        assert.deepEqual(ack, { ok: true, seq: n });
      }
    };

    await t.step("every fuzzed frame gets the answer it is owed", async () => {
      const batches = fc.array(fc.array(blueprintArbitrary, BATCH), {
        minLength: fuzzers.length,
        maxLength: fuzzers.length,
      });
      const details = await fc.check(
        fc.asyncProperty(batches, async (perFuzzer) => {
          // Settle all before failing, so no fuzzer is still at work when the server closes.
          const results = await Promise.allSettled([
            publishSome(),
            ...perFuzzer.map((batch, i) => fuzzers[i].run(batch)),
          ]);
          const failure = results.find((r) => r.status === "rejected");
          if (failure) throw failure.reason;
        }),
        // Shrinking would replay against a server whose state has moved on; the failure
        // message already names the offending frame.
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      if (details.failed) {
        // The counterexample is thousands of frames: report the seed and the failure only.
        const cause = details.errorInstance;
        assert.fail(
          `Fuzzing failed (seed ${SEED}, run ${details.numRuns}): ` +
            (cause instanceof Error ? cause.message : String(cause)),
        );
      }
      const sent = fuzzers.reduce((sum, f) => sum + f.sent, 0);
      const closes = fuzzers.flatMap((f) => f.closeCodes);
      console.log(`Sent ${sent} fuzzed frames; closes: ${JSON.stringify(closes)}`);
      assert.ok(sent >= 10_000, `Only ${sent} frames`);
    });

    await t.step("the well-behaved dashboard got the whole stream, in order", async () => {
      const events = await dashboard.waitForEvents(STREAM, published, 10_000);
      assertSeqRun(events, 1, published, "dashboard");
      assert.ok(events.every((f: Frame) => f.event === "custom:wb" && f.payload.n === f.seq));
      for (const socket of [dashboard, orchestrator]) {
        assert.equal(socket.isOpen, true);
        assert.equal(socket.frames.filter((f) => f.event === "error").length, 0);
      }
    });

    await t.step("the server is healthy and a fresh client works", async () => {
      await assertHealthy(server);
      assert.equal(Object.hasOwn(Object.prototype, "polluted"), false);
      const fresh = await TestSocket.open(server, `?session=${STREAM}&role=dashboard`);
      try {
        assertSeqRun(await fresh.waitForEvents(STREAM, published), 1, published, "fresh");
        const ack = await orchestrator.request({
          event: "custom:wb",
          session: STREAM,
          payload: {},
        });
        assert.equal(ack.seq, published + 1);
        await fresh.next((f) => f.seq === published + 1);
        const res = await api(server, "GET", `/api/sessions/${STREAM}`);
        assert.equal(res.body.session.headSeq, published + 1);
      } finally {
        await fresh.close();
      }
    });
  } finally {
    await Promise.all([dashboard.close(), orchestrator.close(), ...fuzzers.map((f) => f.close())]);
    await server.close();
  }
});
