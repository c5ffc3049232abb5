/**
 * @module Edge validation shared by the WebSocket and REST edges, so a publish or command is
 * checked the same way whichever way it arrives.
 */
import { type Command, commandSchema } from "./commands.ts";
import { eventNameSchema } from "./envelope.ts";
import { SwitchboardError } from "./errors.ts";
import { eventSchema } from "./events.ts";
import { parseOrThrow } from "./validate.ts";

/** A publish that passed validation. */
export interface ValidEvent {
  event: string;
  payload: Record<string, unknown>;
}

/** Validates a publishable event name and its payload (`undefined` counts as `{}`). */
export function parseEvent(event: unknown, payload: unknown): ValidEvent {
  const name = parseOrThrow(eventNameSchema, event, { code: "INVALID_FRAME", prefix: "event" });
  const schema = eventSchema(name);
  if (!schema) {
    throw new SwitchboardError(
      "UNKNOWN_EVENT",
      `Unknown event "${name}": publish a catalogued event or custom:<name>`,
    );
  }
  const parsed = parseOrThrow(schema, payload ?? {}, {
    code: "INVALID_PAYLOAD",
    prefix: "payload",
    context: `Invalid "${name}" payload`,
  });
  return { event: name, payload: parsed };
}

/** Validates a command payload `{type, ...}`. */
export function parseCommand(payload: unknown): Command {
  return parseOrThrow(commandSchema, payload, {
    code: "INVALID_COMMAND",
    prefix: "payload",
    context: "Invalid command",
  });
}

/** Parses JSON text, failing with `BAD_JSON`; `what` names it in the message. */
export function parseJson(text: string, what: "Frame" | "Body" = "Frame"): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SwitchboardError("BAD_JSON", `${what} is not valid JSON`);
  }
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
