/**
 * @module Rate limits reach every path in: REST calls draw on their subject's buckets, and
 * frames that are not even JSON count against a socket's limit.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";
import { mint, startSecureServer } from "./_tokens.ts";

Deno.test("REST publishes and commands share the subject's buckets", async () => {
  const server = await startSecureServer({
    orchestratorSubjectFrameRate: 2,
    subjectCommandRate: 1,
  });
  try {
    const auth = { authorization: `Bearer ${await mint({ role: "admin", sub: "busy" })}` };
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (await api(server, "POST", "/api/sessions/r/events", { event: "custom:x" }, auth)).status,
      );
    }
    assert.deepEqual(statuses.slice(0, 4), [201, 201, 201, 201], "a burst of twice the rate");
    assert.ok(statuses.includes(429));
    const limited = await api(
      server,
      "POST",
      "/api/sessions/r/events",
      { event: "custom:x" },
      auth,
    );
    assert.equal(limited.body.error.code, "RATE_LIMITED");
    // Another subject is not affected.
    const other = { authorization: `Bearer ${await mint({ role: "admin", sub: "calm" })}` };
    assert.equal(
      (await api(server, "POST", "/api/sessions/r/events", { event: "custom:x" }, other)).status,
      201,
    );
    // Reads are not limited.
    assert.equal((await api(server, "GET", "/api/sessions/r", undefined, auth)).status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("frames that are not JSON count against the limit and end in close 4102", async () => {
  const server = await startTestServer({ frameRate: 5, abuseLimit: 20 });
  try {
    const junk = await TestSocket.open(server);
    // Paced, so the close arrives as a clean close frame rather than a reset mid-burst.
    for (let i = 0; i < 200 && junk.isOpen; i++) {
      junk.send("not json at all");
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal((await junk.closed()).code, 4102);
    const codes = new Set(
      junk.frames.filter((f) => f.event === "error").map((f) => f.payload.code),
    );
    assert.ok(codes.has("RATE_LIMITED"), [...codes].join());
    assert.equal((await api(server, "GET", "/health")).status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("REST honours the configured session id length", async () => {
  const server = await startTestServer({ maxSessionIdLength: 12 });
  try {
    const long = "a".repeat(13);
    const publish = await api(server, "POST", `/api/sessions/${long}/events`, {
      event: "custom:x",
    });
    assert.equal(publish.status, 400);
    assert.equal(publish.body.error.code, "INVALID_FRAME", "the code a WebSocket frame gets");
    assert.match(publish.body.error.message, /at most 12 characters/);
    const create = await api(server, "POST", "/api/sessions", { sessionId: long });
    assert.equal(create.status, 400);
    assert.equal((await api(server, "GET", `/api/sessions/${long}`)).status, 400);
    assert.equal(
      (await api(server, "POST", "/api/sessions", { sessionId: "a".repeat(12) })).status,
      201,
    );
  } finally {
    await server.close();
  }
});
