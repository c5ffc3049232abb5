/**
 * @module The query string of `GET /ws`: the session to join at once, the role, and where to
 * resume.
 */
import { z } from "zod";
import { eventPatternSchema, roleSchema } from "../protocol/mod.ts";

const querySchema = z.object({
  /** Checked by the inbound gate, like every session id. */
  session: z.string().optional(),
  /** The role to act as; defaults to the token's role, or `dashboard` in development mode. */
  role: roleSchema.optional(),
  lastSeq: z.coerce.number().int().min(0).safe().optional(),
  epoch: z.string().min(1).max(64).optional(),
  /** A bearer token (it may end up in access logs: prefer the auth frame or a header). */
  token: z.string().min(1).max(8192).optional(),
  events: z.array(eventPatternSchema).max(64).optional(),
  /** `1`: the client reads array frames, so frames queued within one event-loop turn go as one. */
  batch: z.enum(["0", "1"]).optional(),
});

/** What a client asked for when it connected. */
export type ConnectQuery = z.infer<typeof querySchema>;

/**
 * Reads `session` (or `session_id`, as Socket.IO-era clients send), `role`, `lastSeq`, `epoch`
 * `events` (comma-separated patterns) and `batch` from a URL's query.
 */
export function parseConnectQuery(url: URL): z.ZodSafeParseResult<ConnectQuery> {
  const get = (name: string) => url.searchParams.get(name) ?? undefined;
  const events = get("events");
  return querySchema.safeParse({
    session: get("session") ?? get("session_id"),
    role: get("role"),
    lastSeq: get("lastSeq"),
    epoch: get("epoch"),
    token: get("token"),
    events: events === undefined ? undefined : events.split(",").filter((e) => e !== ""),
    batch: get("batch"),
  });
}
