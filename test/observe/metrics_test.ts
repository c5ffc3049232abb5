/**
 * @module `GET /metrics` after a known workload: connections, events by family, deliveries,
 * commands by result, closes by code, rate limits, open decisions and the histograms; and who
 * may scrape it.
 */
import assert from "node:assert/strict";
import { scrape } from "./_scrape.ts";
import { startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import { mint, SECRET } from "../security/_tokens.ts";

Deno.test("/metrics counts a known workload", async () => {
  const server = await startTestServer({ heartbeatMs: 100, commandRate: 1 });
  const sockets: TestSocket[] = [];
  try {
    const orchestrator = await TestSocket.open(server, "?session=s&role=orchestrator");
    const dashboards = [
      await TestSocket.open(server, "?session=s&role=dashboard"),
      await TestSocket.open(server, "?session=s&role=dashboard"),
    ];
    sockets.push(orchestrator, ...dashboards);
    for (const d of dashboards) await d.next((f) => f.event === "subscribed");
    await orchestrator.next((f) => f.event === "subscribed");
    const publish = (event: string, payload: object) =>
      orchestrator.request({ event, session: "s", payload });
    await publish("execution:started", {});
    await publish("custom:step", { n: 1 });
    await publish("agent:thought", { content: "hmm" });
    await publish("decision:point", { decisionId: "d1", question: "Go?", options: ["y", "n"] });
    const [dashboard] = dashboards;
    const command = (type: string) =>
      dashboard.request({ event: "command", session: "s", payload: { type } });
    const halt = await command("HALT");
    assert.equal(halt.ok, true);
    assert.equal((await command("HALT")).error.code, "INVALID_STATE");
    assert.equal((await command("HALT")).error.code, "RATE_LIMITED", "burst of 2 at 1/s");
    await publish("command:applied", { commandId: halt.commandId });
    // A connect query the server refuses: closed with 4000 after the upgrade.
    const refused = await TestSocket.openRaw(server, "?session=bad%20id");
    assert.equal((await refused.closed()).code, 4000);
    // Seven events reach each dashboard: four published, the command, its execution:halted
    // effect and command:applied; the orchestrator gets the command only.
    for (const d of dashboards) await d.waitForEvents("s", 7);
    await orchestrator.waitForEvents("s", 1);
    await waitFor(() => server.hub.stats().rtt.p50 ?? undefined, "a heartbeat round trip");

    const m = await scrape(server);
    const get = (key: string) => m.get(`switchboard_${key}`);
    assert.equal(get(`client_connections_inflight{role="dashboard",transport="websocket"}`), 2);
    assert.equal(get(`client_connections_inflight{role="orchestrator",transport="websocket"}`), 1);
    assert.equal(
      get(`client_connections_accepted_total{role="dashboard",transport="websocket"}`),
      2,
    );
    assert.equal(get("sessions"), 1);
    assert.equal(get("subscriptions"), 3);
    assert.equal(get("decision_points_open"), 1);
    for (const family of ["execution", "custom", "agent", "decision", "command"]) {
      assert.equal(get(`events_published_total{family="${family}"}`), 1, family);
    }
    assert.equal(get("deliveries_total"), 2 * 7 + 1);
    assert.equal(get(`commands_total{type="HALT",result="ok"}`), 1);
    assert.equal(get(`commands_total{type="HALT",result="INVALID_STATE"}`), 1);
    assert.equal(get("rate_limited_total"), 1);
    assert.equal(get(`client_server_disconnects_total{code="4000"}`), 1);
    assert.equal(get("slow_consumer_closes_total"), 0);
    assert.equal(get("replays_total"), 3, "one catch-up per subscribe");
    assert.equal(get("events_replayed_total"), 0);
    assert.equal(get("command_applied_duration_seconds_count"), 1);
    // Five publishes awaited one by one and the accepted HALT (with its effect, one batch).
    assert.equal(get("store_append_duration_seconds_count"), 6);
    assert.ok(get("client_ping_pong_duration_seconds_count")! >= 1);
    assert.ok(get("transport_messages_sent_total")! > get("deliveries_total")!);
    assert.ok(get("transport_messages_sent_bytes_total")! > get("transport_messages_sent_total")!);
    assert.equal(get("store_failing"), 0);

    // Totals never go down: a closed connection's traffic is kept.
    await dashboards[1].close();
    await waitFor(() => server.hub.connectionCount === 2 || undefined, "the close");
    const after = await scrape(server);
    assert.equal(after.get("switchboard_deliveries_total"), 2 * 7 + 1);
    assert.ok(
      after.get("switchboard_transport_messages_sent_total")! >=
        get("transport_messages_sent_total")!,
    );
  } finally {
    for (const socket of sockets) await socket.close();
    await server.close();
  }
});

Deno.test("/metrics needs an admin token unless --metrics-public", async () => {
  const server = await startTestServer({ jwtSecret: SECRET });
  try {
    assert.equal((await fetch(`${server.url}/metrics`).then(drain)).status, 401);
    const dashboard = await mint({ role: "dashboard" });
    const forbidden = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${dashboard}` },
    }).then(drain);
    assert.equal(forbidden.status, 403);
    const admin = await mint({ role: "admin" });
    assert.ok((await scrape(server, admin)).has("switchboard_sessions"));
  } finally {
    await server.close();
  }
  const open = await startTestServer({ jwtSecret: SECRET, metricsPublic: true });
  try {
    assert.ok((await scrape(open)).has("switchboard_sessions"));
  } finally {
    await open.close();
  }
});

async function drain(response: Response): Promise<Response> {
  await response.body?.cancel();
  return response;
}
