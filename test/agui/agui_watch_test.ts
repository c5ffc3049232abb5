/**
 * @module `GET /api/sessions/:id/ag-ui`: the live AG-UI stream for dashboards, each event with
 * `id: <seq>`, resumable with `Last-Event-ID` without a gap or a duplicate.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { type Frame, startTestServer, withTimeout } from "../_helpers.ts";
import { parseSse, publish } from "./_agui.ts";

/** Reads a never-ending SSE response until `count` messages arrived, then cancels it. */
async function take(
  server: RunningServer,
  session: string,
  count: number,
  headers: Record<string, string> = {},
  whileReading?: () => Promise<void>,
): Promise<{ id?: string; data: Frame }[]> {
  const response = await fetch(`${server.url}/api/sessions/${session}/ag-ui`, { headers });
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let started = false;
  try {
    return await withTimeout(
      (async () => {
        while (true) {
          const messages = parseSse(text);
          if (messages.length >= count) return messages.slice(0, count);
          if (!started) {
            started = true;
            void whileReading?.();
          }
          const { value, done } = await reader.read();
          if (done) return parseSse(text);
          text += value;
        }
      })(),
      5000,
      `${count} AG-UI messages`,
    );
  } finally {
    await reader.cancel();
  }
}

Deno.test("AG-UI watch: ids are seqs, Last-Event-ID resumes exactly after, live events follow", async () => {
  const server = await startTestServer();
  try {
    const s = "watch";
    await publish(server, s, "execution:started"); // seq 1: RUN_STARTED, STATE_SNAPSHOT
    await publish(server, s, "chat:message", { text: "one" }); // seq 2: three events
    await publish(server, s, "skill:started", { skill: "a" }); // seq 3: STEP_STARTED
    const all = await take(server, s, 6);
    assert.deepEqual(all.map((m) => [m.id, m.data.type]), [
      ["1", "RUN_STARTED"],
      ["1", "STATE_SNAPSHOT"],
      ["2", "TEXT_MESSAGE_START"],
      ["2", "TEXT_MESSAGE_CONTENT"],
      ["2", "TEXT_MESSAGE_END"],
      ["3", "STEP_STARTED"],
    ]);
    // Resuming after seq 2 rebuilds the open run and step, so what follows still closes them.
    const resumed = await take(server, s, 3, { "last-event-id": "2" }, async () => {
      await publish(server, s, "skill:completed", { skill: "a" });
      await publish(server, s, "execution:completed");
    });
    assert.deepEqual(resumed.map((m) => [m.id, m.data.type]), [
      ["3", "STEP_STARTED"],
      ["4", "STEP_FINISHED"],
      ["5", "RUN_FINISHED"],
    ]);
    assert.equal(resumed[2].data.runId, "run-1");
    const bad = await fetch(`${server.url}/api/sessions/${s}/ag-ui`, {
      headers: { "last-event-id": "minus one" },
    });
    assert.equal((await bad.json()).error.code, "INVALID_PAYLOAD");
  } finally {
    await server.close();
  }
});
