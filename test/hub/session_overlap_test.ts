/**
 * @module Appends that change no state overlap in the store (one SQLite transaction carries
 * several), while a state change waits for them: seqs still follow the order of the frames, the
 * dashboard gets every event once in seq order, and the state reflects the stateful events.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";

Deno.test("Session: pipelined publishes on SQLite keep frame order around state changes", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startTestServer({ store: `sqlite:${dir}/s.db` });
  const dashboard = await TestSocket.open(server, "?session=ov&role=dashboard");
  const orchestrator = await TestSocket.open(server, "?role=orchestrator");
  try {
    const sent: { event: string; payload: Record<string, unknown> }[] = [];
    for (let i = 0; i < 120; i++) {
      if (i === 40) sent.push({ event: "execution:started", payload: { task: "t" } });
      else if (i === 80) sent.push({ event: "execution:halted", payload: {} });
      else sent.push({ event: "custom:n", payload: { i } });
    }
    // All in flight at once: none waits for the previous ack.
    const acks = await Promise.all(
      sent.map((e) => orchestrator.request({ ...e, session: "ov" }, 15_000)),
    );
    assert.ok(acks.every((a) => a.ok === true), JSON.stringify(acks.find((a) => !a.ok)));
    assert.deepEqual(acks.map((a) => a.seq), sent.map((_, i) => i + 1));
    const delivered = await waitForSeqs(dashboard, 120);
    assert.deepEqual(delivered.map((f) => f.seq), sent.map((_, i) => i + 1));
    assert.deepEqual(delivered.map((f) => f.event), sent.map((e) => e.event));
    const { body } = await api(server, "GET", "/api/sessions/ov");
    assert.equal(body.session.state, "halted");
  } finally {
    await orchestrator.close();
    await dashboard.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function waitForSeqs(socket: TestSocket, count: number): Promise<Frame[]> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const events = socket.frames.filter((f) => f.session === "ov" && typeof f.seq === "number");
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} events delivered`);
}
