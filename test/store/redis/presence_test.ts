/**
 * @module Presence and stats across nodes: `GET /api/sessions/:id` lists who is attached on
 * every node, and `/api/stats` lists the nodes alive with their connection counts.
 */
import assert from "node:assert/strict";
import { api, type Frame, TestSocket, waitFor } from "../../_helpers.ts";
import { startCluster } from "./_nodes.ts";

Deno.test("GET /api/sessions/:id lists who is attached on every node", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const dashboard = await TestSocket.open(a, "?session=p&role=dashboard");
  const orchestrator = await TestSocket.open(b, "?session=p&role=orchestrator");
  try {
    const dashboardId = (await dashboard.next((f) => f.event === "connected")).payload.id;
    const orchestratorId = (await orchestrator.next((f) => f.event === "connected")).payload.id;
    await dashboard.next((f) => f.event === "subscribed");
    await orchestrator.next((f) => f.event === "subscribed");
    const attachedOn = async (node: typeof a) =>
      ((await api(node, "GET", "/api/sessions/p")).body.session.attached as Frame[])
        .map((x) => `${x.role}:${x.id}`).sort();
    const both = [`dashboard:${dashboardId}`, `orchestrator:${orchestratorId}`].sort();
    for (const node of [a, b]) {
      const seen = await waitFor(
        async () => {
          const attached = await attachedOn(node);
          return attached.length === 2 ? attached : undefined;
        },
        "both connections listed",
      );
      assert.deepEqual(seen, both);
    }
    const session = (await api(a, "GET", "/api/sessions/p")).body.session;
    assert.deepEqual(session.subscribers, { total: 2, orchestrator: 1, dashboard: 1, admin: 0 });
    assert.equal(new Set(session.attached.map((x: Frame) => x.node)).size, 2, "two nodes");

    await orchestrator.close();
    await waitFor(
      async () => (await attachedOn(a)).length === 1 || undefined,
      "the orchestrator to leave",
    );
    assert.deepEqual(await attachedOn(a), [`dashboard:${dashboardId}`]);
  } finally {
    await dashboard.close();
    await orchestrator.close();
    await cluster.close();
  }
});

Deno.test("GET /api/stats lists the nodes alive and their connections", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const sockets = [
    await TestSocket.open(b, "?session=q"),
    await TestSocket.open(b, "?session=q"),
  ];
  try {
    const stats = (await api(a, "GET", "/api/stats")).body;
    assert.equal(stats.connections.total, 0, "this node's own connections");
    assert.equal(stats.cluster.nodes.length, 2);
    assert.ok(stats.cluster.nodes.some((n: Frame) => n.id === stats.cluster.node));
    for (const node of stats.cluster.nodes) {
      assert.equal(typeof node.connections, "number");
      assert.ok(!Number.isNaN(Date.parse(node.seenAt)));
    }
    await b.close();
    const after = (await api(a, "GET", "/api/stats")).body;
    assert.deepEqual(after.cluster.nodes.map((n: Frame) => n.id), [after.cluster.node]);
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await cluster.close();
  }
});
