/**
 * @module Payload validation the inbound gate applies to publishes and commands, whichever way
 * they arrive.
 */
import { normalizeSeedPayload } from "./aliases.ts";
import { type Command, commandSchema } from "./commands.ts";
import { SwitchboardError } from "./errors.ts";
import { eventSchema, isCustomEvent } from "./events.ts";
import { parseOrThrow } from "./validate.ts";

/** An event to publish that passed validation: its name and its (open) payload object. */
export interface ValidEvent {
  /** Event name. */
  event: string;
  /** Payload, checked against the event's schema. */
  payload: Record<string, unknown>;
}

/**
 * Validates a payload against the catalogue entry of `event` (`undefined` counts as `{}`), after
 * adding the canonical fields of a payload in the seeds' spelling (see `aliases.ts`). The name's
 * own form and length are the inbound gate's to check, once.
 */
export function parseEvent(event: string, payload: unknown): ValidEvent {
  // A custom event takes any object: the parsed object is kept as it is, no schema pass and
  // no copy (the schema runs only to word the refusal of a non-object).
  if (isCustomEvent(event) && (payload === undefined || isJsonObject(payload))) {
    return { event, payload: payload ?? {} };
  }
  const schema = eventSchema(event);
  if (!schema) {
    throw new SwitchboardError(
      "UNKNOWN_EVENT",
      `Unknown event "${event}": publish a catalogued event or custom:<name>`,
    );
  }
  const parsed = parseOrThrow(schema, normalizeSeedPayload(event, payload ?? {}), {
    code: "INVALID_PAYLOAD",
    prefix: "payload",
    context: `Invalid "${event}" payload`,
  });
  return { event, payload: parsed };
}

/**
 * Validates a command payload `{type, ...}`. A DECISION may name its decision `decision_id`, as
 * the seeds' `decision:point` does.
 */
export function parseCommand(payload: unknown): Command {
  const named = isJsonObject(payload) && payload.type === "DECISION" &&
      payload.decisionId === undefined && payload.decision_id !== undefined
    ? { ...payload, decisionId: payload.decision_id }
    : payload;
  return parseOrThrow(commandSchema, named, {
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
