/**
 * @module The OpenAPI 3.1 document of every HTTP route, built from the route table and the zod
 * schemas the handlers validate with: nothing in it is written by hand but the prose.
 */
import { z } from "zod";
import type { Config } from "../config/mod.ts";
import { sessionIdSchema } from "../ingress/inbound_limits.ts";
import { MAX_EVENTS_PER_PUBLISH } from "../ingress/gate.ts";
import { VERSION } from "../version.ts";
import { API_ROUTES, type ApiRoute } from "./api_routes.ts";
import { type JsonSchema, toJsonSchema } from "./json_schema.ts";
import { errorBodySchema, protocolSchema } from "./protocol_schema.ts";

/** Builds the document for a server with `config` (limits shape some schemas). */
export function openApiDocument(config: Pick<Config, "maxSessionIdLength">): JsonSchema {
  const protocol = protocolSchema().$defs as Record<string, JsonSchema>;
  // Protocol schemas refer to each other as #/$defs/X; here they live under components.
  const schemas = JSON.parse(
    JSON.stringify(protocol).replaceAll('"#/$defs/', '"#/components/schemas/'),
  ) as Record<string, JsonSchema>;
  schemas.PublishBody = {
    description: `One event, or an array of 1 to ${MAX_EVENTS_PER_PUBLISH}.`,
    oneOf: [
      { $ref: "#/components/schemas/PublishFrame" },
      {
        type: "array",
        items: { $ref: "#/components/schemas/PublishFrame" },
        minItems: 1,
        maxItems: MAX_EVENTS_PER_PUBLISH,
      },
    ],
  };
  schemas.ErrorResponse = toJsonSchema(z.object({
    success: z.literal(false),
    error: errorBodySchema,
    timestamp: z.string(),
  }));
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of API_ROUTES) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][route.method] = operation(route, config);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard",
      version: VERSION,
      description: "A real-time event hub for AI-agent runs. REST beside the WebSocket " +
        "protocol (docs/PROTOCOL.md); every error is `{code, message}` with a stable code.",
    },
    tags: [...new Set(API_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "Needed when the server has a JWT secret or public key; in local " +
            "development mode every caller acts as admin.",
        },
      },
    },
  };
}

function operation(route: ApiRoute, config: Pick<Config, "maxSessionIdLength">): JsonSchema {
  const parameters: JsonSchema[] = [];
  for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
    const schema = name === "id" ? toJsonSchema(sessionIdSchema(config.maxSessionIdLength)) : {
      type: "string",
    };
    parameters.push({ name, in: "path", required: true, schema });
  }
  if (route.query) {
    const { properties = {}, required = [] } = toJsonSchema(route.query) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(properties)) {
      parameters.push({ name, in: "query", required: required.includes(name), schema });
    }
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, description] of Object.entries(route.responses)) {
    const type = route.produces ?? "application/json";
    responses[status] = status === "101" ? { description } : {
      description,
      content: {
        [type]: { schema: type === "application/json" ? { type: "object" } : { type: "string" } },
      },
    };
  }
  responses.default = {
    description: "A coded error (see docs/PROTOCOL.md#error-codes).",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
  };
  return {
    operationId: `${route.method}${
      route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, c = "") => c.toUpperCase())
    }`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBody(route.body) } : {}),
    responses,
    security: route.access === "public" ? [] : [{ bearer: [] }],
  };
}

function requestBody(body: NonNullable<ApiRoute["body"]>): JsonSchema {
  const schema = "ref" in body && typeof body.ref === "string"
    ? { $ref: `#/components/schemas/${body.ref}` }
    : "external" in body && typeof body.external === "string"
    ? { description: body.external }
    : toJsonSchema(body as z.ZodType);
  return { required: true, content: { "application/json": { schema } } };
}
