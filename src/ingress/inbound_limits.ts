/**
 * @module The size limits every way in is held to, checked in one place so WebSocket, REST and
 * later edges refuse the same input with the same code and message.
 */
import { z } from "zod";
import { exceedsDepth } from "../limits/payload_depth.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { parseOrThrow } from "../protocol/validate.ts";

/** Configurable limits on what a caller sends. */
export interface InboundLimits {
  /** Deepest JSON nesting of a payload (a flat object is depth 1). */
  maxPayloadDepth: number;
  /** Longest event name. */
  maxEventNameLength: number;
  /** Longest session id. */
  maxSessionIdLength: number;
}

/** A session id that passed the gate's checks. */
export type SessionId = string & { readonly __brand: "SessionId" };

/** The checks, compiled once for a set of limits. */
export interface LimitChecks {
  /** Validates a session id: its characters and the configured length; `field` names it. */
  sessionId(value: unknown, field?: string): SessionId;
  /** Validates an event name: no spaces and the configured length. */
  eventName(value: unknown): string;
  /** Refuses a payload that nests deeper than the limit. */
  depth(payload: unknown): void;
}

const SESSION_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const NO_SPACES = /^\S+$/;

/** The session id schema for a length limit (also what the API documents). */
export function sessionIdSchema(maxLength: number): z.ZodString {
  return z.string()
    .max(maxLength, `Session ids are at most ${maxLength} characters`)
    .regex(
      SESSION_CHARACTERS,
      "Session ids are letters, digits and _ . : -, starting with a letter or digit",
    );
}

/** Compiles the checks for `limits`. */
export function compileLimits(limits: InboundLimits): LimitChecks {
  const session = sessionIdSchema(limits.maxSessionIdLength);
  const eventName = z.string().min(1)
    .max(
      limits.maxEventNameLength,
      `Event names are at most ${limits.maxEventNameLength} characters`,
    )
    .regex(NO_SPACES, "Must not contain spaces");
  const { maxSessionIdLength, maxEventNameLength } = limits;
  // A valid value is accepted by the plain test; only a refusal runs the schema, for its message.
  return {
    sessionId: (value, field = "session") =>
      typeof value === "string" && value.length <= maxSessionIdLength &&
        SESSION_CHARACTERS.test(value)
        ? value as SessionId
        : parseOrThrow(session, value, { code: "INVALID_FRAME", prefix: field }) as SessionId,
    eventName: (value) =>
      typeof value === "string" && value.length >= 1 && value.length <= maxEventNameLength &&
        NO_SPACES.test(value)
        ? value
        : parseOrThrow(eventName, value, { code: "INVALID_FRAME", prefix: "event" }),
    depth(payload) {
      if (exceedsDepth(payload, limits.maxPayloadDepth)) {
        throw new SwitchboardError(
          "INVALID_FRAME",
          `Payload nests deeper than ${limits.maxPayloadDepth} levels`,
        );
      }
    },
  };
}
