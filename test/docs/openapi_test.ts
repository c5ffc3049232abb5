/**
 * @module The OpenAPI document is valid OpenAPI 3.1, lists every route the app registers, and
 * `/docs` renders it; the committed protocol schema is the generated one.
 */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import {
  eventDef,
  PROTOCOL_SCHEMA_PATH,
  protocolSchemaText,
} from "../../src/docs/protocol_schema.ts";
import { EVENT_SCHEMAS } from "../../src/protocol/events.ts";
import { createTestApp } from "../routes/_app.ts";

Deno.test("GET /openapi.json is a valid OpenAPI 3.1 document", async () => {
  const { app, close } = createTestApp();
  try {
    const response = await app.request("/openapi.json");
    assert.equal(response.status, 200);
    const document = await response.json();
    assert.equal(document.openapi, "3.1.0");
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  } finally {
    close();
  }
});

Deno.test("every route the app registers is in the OpenAPI document", async () => {
  const { app, close } = createTestApp();
  try {
    const document = await (await app.request("/openapi.json")).json();
    const documented = new Set(
      Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap((
        [path, ops],
      ) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)),
    );
    // Middleware is registered as ALL or on a wildcard path; handlers have a method and a path.
    const registered = new Set(
      app.routes.filter((r) => r.method !== "ALL" && !r.path.endsWith("*")).map((r) =>
        `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`
      ),
    );
    assert.ok(registered.size >= 18, `found ${registered.size} routes`);
    assert.deepEqual([...registered].filter((r) => !documented.has(r)), [], "undocumented");
    assert.deepEqual([...documented].filter((r) => !registered.has(r)), [], "not served");
  } finally {
    close();
  }
});

Deno.test("the command body and page query come from the handlers' zod schemas", async () => {
  const { app, close } = createTestApp();
  try {
    const document = await (await app.request("/openapi.json")).json();
    const commands = document.paths["/api/sessions/{id}/commands"].post;
    const types = commands.requestBody.content["application/json"].schema.oneOf
      .map((c: { properties: { type: { const: string } } }) => c.properties.type.const);
    assert.deepEqual(types, ["HALT", "RESUME", "ROLLBACK", "REDIRECT", "DECISION", "INJECT"]);
    const page = document.paths["/api/sessions/{id}/events"].get.parameters;
    const limit = page.find((p: { name: string }) => p.name === "limit");
    assert.deepEqual([limit.in, limit.schema.maximum, limit.schema.default], ["query", 1000, 100]);
  } finally {
    close();
  }
});

Deno.test("GET /docs renders every operation without scripts or remote resources", async () => {
  const { app, close } = createTestApp();
  try {
    const response = await app.request("/docs");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const html = await response.text();
    for (const path of ["/api/sessions/{id}/commands", "/metrics", "/ready", "/ws"]) {
      assert.ok(html.includes(`<code>${path}</code>`), path);
    }
    assert.ok(!/<script|https?:\/\/(?!json-schema\.org|switchboard\.local)/.test(html));
  } finally {
    close();
  }
});

Deno.test("docs/protocol.schema.json is current (deno task docs:schema rewrites it)", async () => {
  const committed = await Deno.readTextFile(
    new URL(`../../${PROTOCOL_SCHEMA_PATH}`, import.meta.url),
  );
  assert.equal(committed, protocolSchemaText(), "run `deno task docs:schema`");
  const defs = JSON.parse(committed).$defs;
  for (const name of Object.keys(EVENT_SCHEMAS)) assert.ok(defs[eventDef(name)], name);
  assert.ok(defs.Command && defs.InboundFrame && defs.PublishFrame);
});
