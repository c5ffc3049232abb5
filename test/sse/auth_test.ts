/**
 * @module SSE authentication: `Authorization: Bearer` as on REST, or a one-time ticket from
 * `POST /api/stream-tickets` for `EventSource`; the token's grants and role hold.
 */
import assert from "node:assert/strict";
import { mint, startSecureServer } from "../security/_tokens.ts";
import { SseReader } from "./_reader.ts";

Deno.test("SSE with authentication on", async (t) => {
  const server = await startSecureServer();
  const stream = (session: string, query = "") =>
    `${server.url}/api/sessions/${session}/stream${query}`;
  const dashboard = await mint({ role: "dashboard", sessions: ["mine"] });
  try {
    await t.step("no credentials: 401 UNAUTHORIZED", async () => {
      const response = await fetch(stream("mine"));
      assert.equal(response.status, 401);
      assert.equal((await response.json()).error.code, "UNAUTHORIZED");
    });

    await t.step("a bearer token streams the sessions it grants, no others", async () => {
      const reader = await SseReader.open(stream("mine"), { authorization: `Bearer ${dashboard}` });
      try {
        await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
      } finally {
        await reader.close();
      }
      const other = await fetch(stream("theirs"), {
        headers: { authorization: `Bearer ${dashboard}` },
      });
      assert.equal(other.status, 403);
      assert.equal((await other.json()).error.code, "FORBIDDEN");
    });

    await t.step("a token cannot claim another role through ?role=", async () => {
      const response = await fetch(stream("mine", "?role=orchestrator"), {
        headers: { authorization: `Bearer ${dashboard}` },
      });
      assert.equal(response.status, 403);
      await response.body?.cancel();
    });

    await t.step("a ticket opens the stream once, with the token's rights", async () => {
      const issued = await fetch(`${server.url}/api/stream-tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${dashboard}` },
      });
      assert.equal(issued.status, 201);
      const { ticket, expiresAt } = await issued.json();
      assert.ok(expiresAt <= Date.now() + 60_000);
      const reader = await SseReader.open(stream("mine", `?ticket=${ticket}`));
      try {
        assert.equal(reader.response.status, 200);
        await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
      } finally {
        await reader.close();
      }
      const again = await fetch(stream("mine", `?ticket=${ticket}`));
      assert.equal(again.status, 401, "a ticket works once");
      await again.body?.cancel();
    });

    await t.step(
      "a ticket is refused anywhere but a stream, and tickets need a token",
      async () => {
        const issued = await fetch(`${server.url}/api/stream-tickets`, {
          method: "POST",
          headers: { authorization: `Bearer ${dashboard}` },
        });
        const { ticket } = await issued.json();
        const list = await fetch(`${server.url}/api/sessions?ticket=${ticket}`);
        assert.equal(list.status, 401);
        await list.body?.cancel();
        const anonymous = await fetch(`${server.url}/api/stream-tickets`, { method: "POST" });
        assert.equal(anonymous.status, 401);
        await anonymous.body?.cancel();
      },
    );
  } finally {
    await server.close();
  }
});
