/**
 * @module `docs/protocol.schema.json`: the WebSocket envelope, every event payload and every
 * command as JSON Schema, generated from the zod schemas the server validates with, so clients
 * in other languages can generate types. `deno task docs:schema` rewrites the file; a test
 * checks the committed file is current.
 */
import { z } from "zod";
import { commandSchema, executionStateSchema } from "../protocol/commands.ts";
import { inboundFrameSchema, requestIdSchema, roleSchema } from "../protocol/envelope.ts";
import { ERROR_CODES } from "../protocol/errors.ts";
import { CUSTOM_PREFIX, EVENT_SCHEMAS } from "../protocol/events.ts";
import { heartbeatPayloadSchema, subscribePayloadSchema } from "../protocol/requests.ts";
import { tokenPayloadSchema } from "../ws/auth_frame.ts";
import { type JsonSchema, toJsonSchema } from "./json_schema.ts";

/** The wire form of every error: a stable code from the table and a sentence. */
export const errorBodySchema = z.object({
  code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]),
  message: z.string(),
});

/** Where the committed schema lives, relative to the repository root. */
export const PROTOCOL_SCHEMA_PATH = "docs/protocol.schema.json";

/**
 * The `$defs` name of an event's payload schema: `event.` and the name with `.` for `:`, since
 * OpenAPI component names allow no colon (`skill:started` → `event.skill.started`).
 */
export function eventDef(name: string): string {
  return `event.${name.replaceAll(":", ".")}`;
}

/** Builds the protocol's JSON Schema document. */
export function protocolSchema(): JsonSchema {
  const defs: Record<string, JsonSchema> = {
    InboundFrame: toJsonSchema(inboundFrameSchema),
    RequestId: toJsonSchema(requestIdSchema),
    Role: toJsonSchema(roleSchema),
    AuthPayload: toJsonSchema(tokenPayloadSchema),
    SubscribePayload: toJsonSchema(subscribePayloadSchema),
    HeartbeatPayload: toJsonSchema(heartbeatPayloadSchema),
    Command: toJsonSchema(commandSchema),
    ExecutionState: toJsonSchema(executionStateSchema),
    ErrorBody: toJsonSchema(errorBodySchema),
  };
  const frames: JsonSchema[] = [];
  for (const [name, schema] of Object.entries(EVENT_SCHEMAS)) {
    defs[eventDef(name)] = toJsonSchema(schema);
    frames.push(publishFrame({ const: name }, eventDef(name)));
  }
  defs[eventDef("custom")] = toJsonSchema(z.record(z.string(), z.unknown()));
  frames.push(publishFrame({ pattern: `^${CUSTOM_PREFIX}\\S+$` }, eventDef("custom")));
  defs.PublishFrame = { oneOf: frames };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://switchboard.local/protocol.schema.json",
    title: "Switchboard WebSocket protocol",
    description: "Frames a client sends (InboundFrame; a PublishFrame for session events), " +
      "command payloads (Command) and every event payload (event.<family>.<name>). Generated from the " +
      "server's zod schemas; see docs/PROTOCOL.md.",
    $ref: "#/$defs/InboundFrame",
    $defs: defs,
  };
}

/** A frame publishing one event: its name (`event`) and its payload's schema. */
function publishFrame(event: JsonSchema, payloadDef: string): JsonSchema {
  return {
    type: "object",
    properties: {
      event: { type: "string", ...event },
      session: { type: "string" },
      id: { $ref: "#/$defs/RequestId" },
      payload: { $ref: `#/$defs/${payloadDef}` },
    },
    required: ["event"],
  };
}

/** The committed file's text for the current schemas. */
export function protocolSchemaText(): string {
  return JSON.stringify(protocolSchema(), null, 2) + "\n";
}

if (import.meta.main) {
  const path = new URL(`../../${PROTOCOL_SCHEMA_PATH}`, import.meta.url);
  await Deno.writeTextFile(path, protocolSchemaText());
  console.log(`Wrote ${PROTOCOL_SCHEMA_PATH}`);
}
