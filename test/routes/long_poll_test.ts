/**
 * @module Long polling on `GET /api/sessions/:id/events?after=N&wait=S`: answers as soon as
 * there is an event after N, empty at the deadline, at once when there is news already, and
 * when the server shuts down.
 */
import assert from "node:assert/strict";
import { api, startTestServer } from "../_helpers.ts";

Deno.test("long polling", async (t) => {
  const server = await startTestServer();
  const poll = (query: string) => api(server, "GET", `/api/sessions/lp/events?${query}`);
  try {
    await api(server, "POST", "/api/sessions/lp/events", { event: "custom:a" });

    await t.step("news already there: answers at once", async () => {
      const started = Date.now();
      const page = await poll("after=0&wait=30");
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.events.map((e: { seq: number }) => e.seq), [1]);
      assert.ok(Date.now() - started < 2000);
    });

    await t.step("waits until an event after N is published, then answers with it", async () => {
      const started = Date.now();
      const pending = poll("after=1&wait=30");
      await new Promise((r) => setTimeout(r, 200));
      await api(server, "POST", "/api/sessions/lp/events", { event: "custom:b" });
      const page = await pending;
      const waited = Date.now() - started;
      assert.deepEqual(page.body.events.map((e: { event: string }) => e.event), ["custom:b"]);
      assert.equal(page.body.nextAfter, 2);
      assert.ok(waited >= 150 && waited < 5000, `answered after ${waited} ms`);
    });

    await t.step("nothing new: an empty page at the deadline", async () => {
      const started = Date.now();
      const page = await poll("after=2&wait=0.3");
      const waited = Date.now() - started;
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.events, []);
      assert.equal(page.body.nextAfter, 2);
      assert.ok(waited >= 250 && waited < 5000, `answered after ${waited} ms`);
      assert.equal(server.hub.connectionCount, 0, "the waiting request is gone");
    });

    await t.step("bad wait values are coded errors", async () => {
      const page = await poll("after=0&wait=soon");
      assert.equal(page.status, 422);
      assert.equal(page.body.error.code, "INVALID_PAYLOAD");
    });

    await t.step("shutting down answers a waiting request at once", async () => {
      const started = Date.now();
      const pending = poll("after=2&wait=60");
      await new Promise((r) => setTimeout(r, 100));
      await server.close();
      const page = await pending;
      assert.ok(Date.now() - started < 5000, "not held for the full minute");
      assert.deepEqual(page.body.events, []);
    });
  } finally {
    await server.close();
  }
});
