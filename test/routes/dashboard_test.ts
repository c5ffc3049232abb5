/**
 * @module The dashboard's routes: the page at `/` and `/sessions/*` (one HTML file under a
 * self-only CSP), its stylesheet and bundle (503 `CLIENT_NOT_BUILT` when unbuilt), and the
 * session summaries and conditional list the page polls.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { dashboardRoutes, STYLESHEETS } from "../../src/routes/dashboard.ts";
import { buildWeb } from "../web/_build.ts";
import { call, createTestApp } from "./_app.ts";

Deno.test("GET / and /sessions/:id serve the page, under a self-only CSP", async () => {
  const { app, close } = createTestApp();
  try {
    for (const path of ["/", "/sessions/run-1", "/sessions/team%3Aa"]) {
      const response = await app.request(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/);
      const html = await response.text();
      assert.match(html, /<script type="module" src="\/dashboard\.js">/);
      assert.doesNotMatch(html, /https?:\/\//, "nothing loaded from elsewhere");
    }
    const css = await app.request("/dashboard.css");
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    const text = await css.text();
    assert.match(text, /prefers-color-scheme: dark/);
    // Every stylesheet in web/styles/ is served, base first, the narrow-screen rules last.
    const files = [...Deno.readDirSync(new URL("../../web/styles/", import.meta.url))];
    assert.equal(STYLESHEETS.length, files.length);
    assert.ok(text.indexOf(":root") < text.indexOf("@media (max-width: 900px)"));
    // The API and the WebSocket keep their own answers.
    assert.equal((await app.request("/api/nope")).status, 404);
  } finally {
    close();
  }
});

Deno.test("GET /dashboard.js serves the build, or 503 CLIENT_NOT_BUILT", async () => {
  await buildWeb();
  const { app, close } = createTestApp();
  try {
    const response = await app.request("/dashboard.js");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    await response.body?.cancel();
  } finally {
    close();
  }
  const unbuilt = new Hono().route(
    "/",
    dashboardRoutes({ bundle: new URL("./never-built.js", import.meta.url) }),
  );
  const missing = await unbuilt.request("/dashboard.js");
  assert.equal(missing.status, 503);
  const body = await missing.json();
  assert.equal(body.error.code, "CLIENT_NOT_BUILT");
  assert.match(body.error.message, /deno task build:web/);
});

Deno.test("GET /api/sessions: activity fields, and 304 for an unchanged list", async () => {
  const { app, close } = createTestApp();
  try {
    const before = await call(app, "POST", "/api/sessions", { sessionId: "quiet" });
    assert.equal(before.body.session.lastEventAt, null);
    assert.equal(before.body.session.openDecisionCount, 0);
    await call(app, "POST", "/api/sessions/busy/events", [
      { event: "execution:started" },
      {
        event: "decision:point",
        payload: { decisionId: "d1", question: "Go?", options: ["yes", "no"] },
      },
    ]);
    const list = await app.request("/api/sessions");
    const etag = list.headers.get("etag");
    assert.ok(etag);
    const { sessions } = await list.json();
    const busy = sessions.find((s: { id: string }) => s.id === "busy");
    assert.ok(Date.parse(busy.lastEventAt) <= Date.now());
    assert.equal(busy.openDecisionCount, 1);
    assert.equal(typeof busy.eventsPerSecond, "number");

    const same = await app.request("/api/sessions", { headers: { "if-none-match": etag } });
    assert.equal(same.status, 304);
    await call(app, "POST", "/api/sessions/busy/events", { event: "custom:x" });
    const changed = await app.request("/api/sessions", { headers: { "if-none-match": etag } });
    assert.equal(changed.status, 200);
    await changed.body?.cancel();
  } finally {
    close();
  }
});
