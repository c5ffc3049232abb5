/**
 * @module The JSON envelope every WebSocket frame uses, and the identifiers inside it.
 */
import { z } from "zod";

/** Version of the wire protocol, sent in the `connected` frame. */
export const PROTOCOL_VERSION = 1;

/** A session id: 1–128 characters of letters, digits and `_ . : -`, starting alphanumeric. */
export const sessionIdSchema = z.string().regex(
  /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/,
  "Session ids are 1-128 characters of letters, digits and _ . : -, starting with a letter or digit",
);

/** A client request id echoed in the matching `ack`: an integer or a short string. */
export const requestIdSchema = z.union([
  z.number().int().safe(),
  z.string().min(1).max(64),
]);

/** Event names: 1–128 characters, no whitespace. */
export const eventNameSchema = z.string().min(1).max(128).regex(/^\S+$/, "Must not contain spaces");

/** Any frame a client may send, before its event-specific payload is checked. */
export const inboundFrameSchema = z.object({
  event: eventNameSchema,
  session: sessionIdSchema.optional(),
  id: requestIdSchema.optional(),
  payload: z.unknown().optional(),
});

/** A structurally valid inbound frame. */
export type InboundFrame = z.infer<typeof inboundFrameSchema>;

/** A client request id. */
export type RequestId = z.infer<typeof requestIdSchema>;

/** The connection roles. Admins may do everything. */
export const roleSchema = z.enum(["orchestrator", "dashboard", "admin"]);

/** A connection role. */
export type Role = z.infer<typeof roleSchema>;
