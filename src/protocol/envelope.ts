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

/** A client request id. */
export type RequestId = z.infer<typeof requestIdSchema>;

/** The connection roles. Admins may do everything. */
export const roleSchema = z.enum(["orchestrator", "dashboard", "admin"]);

/** A connection role. */
export type Role = z.infer<typeof roleSchema>;
