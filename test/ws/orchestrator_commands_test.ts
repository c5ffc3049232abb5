/**
 * @module Commands reach a session's orchestrators whatever event filter they subscribed with.
 */
import assert from "node:assert/strict";
import { startTestServer, TestSocket } from "../_helpers.ts";

Deno.test("an orchestrator with its own filter still receives the session's commands", async () => {
  const server = await startTestServer();
  const orchestrator = await TestSocket.open(server, "?role=orchestrator");
  const dashboard = await TestSocket.open(server, "?session=f");
  try {
    const subscribed = await orchestrator.request({
      event: "subscribe",
      session: "f",
      payload: { events: ["skill:*"] },
    });
    assert.equal(subscribed.ok, true);
    await orchestrator.request({ event: "execution:started", session: "f", payload: {} });
    await orchestrator.request({ event: "skill:started", session: "f", payload: { skill: "s" } });
    const halt = await dashboard.request({
      event: "command",
      session: "f",
      payload: { type: "HALT", reason: "stop" },
    });
    assert.equal(halt.ok, true);
    const command = await orchestrator.next((f) => f.event === "command" && f.session === "f");
    assert.equal(command.payload.type, "HALT");
    assert.equal(command.payload.reason, "stop");
    const received = orchestrator.events("f").map((f) => f.event);
    assert.deepEqual(received, ["skill:started", "command"], "its filter still holds otherwise");
  } finally {
    await orchestrator.close();
    await dashboard.close();
    await server.close();
  }
});
