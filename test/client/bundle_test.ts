/**
 * @module The distributed bundle: `deno task build:client` builds it within the 4 KB
 * (minified + gzipped) budget, without zod or anything from src/, and the server serves it at
 * `GET /client.js` (503 `CLIENT_NOT_BUILT` when it was never built).
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { clientBundleRoutes } from "../../src/routes/client_bundle.ts";
import { startTestServer } from "../_helpers.ts";
import { BUILD_ARGS, buildBundle, sizes } from "./_bundle.ts";

Deno.test("bundle: the build:client task is the build the tests measure", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const task = `deno ${BUILD_ARGS.join(" ")} -o dist/client.js client/mod.ts`;
  assert.equal(config.tasks["build:client"], task);
});

Deno.test("bundle: at most 4 KB minified and gzipped, self-contained ESM", async () => {
  const bytes = await Deno.readFile(await buildBundle());
  const { gzipped } = sizes(bytes);
  assert.ok(gzipped <= 4096, `${gzipped} bytes gzipped`);
  const text = new TextDecoder().decode(bytes);
  assert.match(text, /export\{[^}]*\bio\b/);
  assert.doesNotMatch(text, /\bimport\b[^(]/, "no imports: nothing to resolve at run time");
  assert.doesNotMatch(text, /zod|ZodError|Deno\./);
});

Deno.test("bundle: GET /client.js serves the built bundle", async () => {
  const bytes = await Deno.readFile(await buildBundle());
  const server = await startTestServer();
  try {
    const response = await fetch(`${server.url}/client.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);
  } finally {
    await server.close();
  }
});

Deno.test("bundle: GET /client.js without a build answers 503 CLIENT_NOT_BUILT", async () => {
  const app = new Hono().route(
    "/client.js",
    clientBundleRoutes({ path: new URL("./never-built.js", import.meta.url) }),
  );
  const response = await app.request("/client.js");
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.equal(body.success, false);
  assert.equal(body.error.code, "CLIENT_NOT_BUILT");
  assert.match(body.error.message, /deno task build:client/);
});
