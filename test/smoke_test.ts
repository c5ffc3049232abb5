import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "./_helpers.ts";

Deno.test("server publishes over REST and delivers over WebSocket", async () => {
  const server = await startTestServer();
  try {
    const dashboard = await TestSocket.open(server, "?session=s1&role=dashboard");
    const res = await api(server, "POST", "/api/sessions/s1/events", {
      event: "execution:started",
      payload: { task: "demo" },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.seqs, [1]);
    const [event] = await dashboard.waitForEvents("s1", 1);
    assert.equal(event.event, "execution:started");
    assert.equal(event.seq, 1);
    await dashboard.close();
  } finally {
    await server.close();
  }
});
