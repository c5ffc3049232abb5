/**
 * @module Idempotency keys across nodes: a command retried with its key on another node gets the
 * first answer and is stored once, even when both nodes get it at the same moment; a different
 * command under the same key is refused on any node.
 */
import assert from "node:assert/strict";
import { api, type Frame } from "../../_helpers.ts";
import { startCluster } from "./_nodes.ts";

const redirect = (instruction: string, key: string) =>
  [
    "POST",
    "/api/sessions/job/commands",
    { type: "REDIRECT", instruction },
    { "idempotency-key": key },
  ] as const;

Deno.test("an idempotency key gives the first answer on every node, and one stored command", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  try {
    await api(a, "POST", "/api/sessions/job/events", { event: "execution:started" });
    const first = await api(a, ...redirect("use staging", "k1"));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const again = await api(b, ...redirect("use staging", "k1"));
    assert.equal(again.status, 200);
    assert.equal(again.body.commandId, first.body.commandId);
    assert.equal(again.body.seq, first.body.seq);

    const other = await api(b, ...redirect("use production", "k1"));
    assert.deepEqual([other.status, other.body.error.code], [422, "IDEMPOTENCY_CONFLICT"]);

    // Both nodes at once with a fresh key: one command runs, both get its answer.
    const [x, y] = await Promise.all([
      api(a, ...redirect("roll back", "k2")),
      api(b, ...redirect("roll back", "k2")),
    ]);
    assert.equal(x.status, 200, JSON.stringify(x.body));
    assert.equal(y.status, 200, JSON.stringify(y.body));
    assert.equal(x.body.commandId, y.body.commandId);

    // A refusal is an answer too: HALT twice under one key is refused the same way twice.
    await api(a, "POST", "/api/sessions/job/commands", { type: "HALT" });
    const refused = await api(a, "POST", "/api/sessions/job/commands", { type: "HALT" }, {
      "idempotency-key": "k3",
    });
    const refusedAgain = await api(b, "POST", "/api/sessions/job/commands", { type: "HALT" }, {
      "idempotency-key": "k3",
    });
    assert.equal(refused.body.error.code, "INVALID_STATE");
    assert.deepEqual(refusedAgain.body.error, refused.body.error);

    const events = (await api(b, "GET", "/api/sessions/job/events?after=0&limit=100")).body
      .events as Frame[];
    const commands = events.filter((e) => e.event === "command").map((e) => e.payload.type);
    assert.deepEqual(commands, ["REDIRECT", "REDIRECT", "HALT"]);
  } finally {
    await cluster.close();
  }
});
