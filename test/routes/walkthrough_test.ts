/**
 * @module The "done when" walk-through end to end: an orchestrator publishes over REST, a
 * dashboard watches and steers over WebSocket, and REST shows the resulting state.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";

Deno.test("REST publish, WebSocket HALT/RESUME/DECISION, REST shows the state", async () => {
  const server = await startTestServer();
  const dashboard = await TestSocket.open(server, "?session=run&role=dashboard");
  const orchestrator = await TestSocket.open(server, "?session=run&role=orchestrator");
  try {
    await dashboard.next((f) => f.event === "subscribed");
    await orchestrator.next((f) => f.event === "subscribed");

    const published = await api(server, "POST", "/api/sessions/run/events", [
      { event: "execution:started", payload: { task: "refactor" } },
      {
        event: "decision:point",
        payload: { decisionId: "d1", question: "Which approach?", options: ["a", "b"] },
      },
    ]);
    assert.equal(published.status, 201);
    assert.deepEqual(published.body.seqs, [1, 2]);
    const seen = await dashboard.waitForEvents("run", 2);
    assert.deepEqual(seen.map((f) => [f.seq, f.event]), [
      [1, "execution:started"],
      [2, "decision:point"],
    ]);
    assert.deepEqual(seen[1].payload.options, ["a", "b"]);

    const steer = async (payload: Frame) => {
      const ack = await dashboard.request({ event: "command", session: "run", payload });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      return ack;
    };
    const halted = await steer({ type: "HALT", reason: "checking" });
    assert.equal(halted.state, "halted");
    assert.equal(
      (await api(server, "GET", "/api/sessions/run")).body.session.state,
      "halted",
    );
    const resumed = await steer({ type: "RESUME" });
    assert.equal(resumed.state, "running");
    const decided = await steer({ type: "DECISION", decisionId: "d1", choice: "b" });
    assert.equal(decided.command, "DECISION");

    // Each command appended itself and its effect; the dashboard sees all of it in order.
    const all = await dashboard.waitForEvents("run", 8);
    assert.deepEqual(all.map((f) => f.event), [
      "execution:started",
      "decision:point",
      "command",
      "execution:halted",
      "command",
      "execution:resumed",
      "command",
      "decision:made",
    ]);
    assert.deepEqual(all.map((f) => f.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
    const results = dashboard.frames.filter((f) => f.event === "command:result");
    assert.deepEqual(results.map((f) => f.payload.command), ["HALT", "RESUME", "DECISION"]);

    // The orchestrator, subscribed with its default filter, receives the commands only.
    const commands = await orchestrator.waitForEvents("run", 3);
    assert.deepEqual(commands.map((f) => f.payload.type), ["HALT", "RESUME", "DECISION"]);
    assert.deepEqual(commands.map((f) => f.payload.commandId), [
      halted.commandId,
      resumed.commandId,
      decided.commandId,
    ]);

    const { status, body } = await api(server, "GET", "/api/sessions/run");
    assert.equal(status, 200);
    assert.equal(body.session.state, "running");
    assert.equal(body.session.headSeq, 8);
    assert.deepEqual(body.session.openDecisions, []);
    assert.deepEqual(body.session.subscribers, {
      total: 2,
      orchestrator: 1,
      dashboard: 1,
      admin: 0,
    });
  } finally {
    await dashboard.close();
    await orchestrator.close();
    await server.close();
  }
});
