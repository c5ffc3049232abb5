/**
 * @module The JSON envelope every WebSocket frame uses, and the identifiers inside it.
 */
import { z } from "zod";

/** Version of the wire protocol, sent in the `connected` frame. */
export const PROTOCOL_VERSION = 1;

/** A client request id echoed in the matching `ack`: an integer or a short string. */
export const requestIdSchema = z.union([
  z.number().int().safe(),
  z.string().min(1).max(64),
]);

/**
 * Any frame a client may send, before its fields are checked: the event name and session id are
 * checked once, by the inbound gate, against the configured limits.
 */
export const inboundFrameSchema = z.object({
  event: z.string(),
  session: z.unknown().optional(),
  id: requestIdSchema.optional(),
  payload: z.unknown().optional(),
});

/** A structurally valid inbound frame. */
export type InboundFrame = z.infer<typeof inboundFrameSchema>;

/**
 * The request id of a frame's `id` field, or `undefined` when it is missing or not a valid id:
 * what `requestIdSchema.safeParse(value).data` gives, without building a parse result per frame.
 */
export function requestIdOf(value: unknown): RequestId | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "string") {
    return value.length >= 1 && value.length <= 64 ? value : undefined;
  }
  return undefined;
}

/**
 * Whether `raw` (a JSON object) is a well-formed frame: a string `event` and a valid or absent
 * `id`. Such a frame is used as it is, with no copy; any other goes through
 * {@linkcode inboundFrameSchema}, so a refusal keeps the schema's exact message.
 */
export function isWellFormedFrame(raw: Record<string, unknown>): raw is InboundFrame {
  return typeof raw.event === "string" &&
    (raw.id === undefined || requestIdOf(raw.id) !== undefined);
}

/** A client request id. */
export type RequestId = z.infer<typeof requestIdSchema>;

/** The connection roles. Admins may do everything. */
export const roleSchema = z.enum(["orchestrator", "dashboard", "admin"]);

/** A connection role. */
export type Role = z.infer<typeof roleSchema>;
