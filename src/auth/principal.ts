/**
 * @module Who a connection or request acts as: a role, the sessions it may touch and its extra
 * scopes, from verified JWT claims or, without a secret, from local development mode.
 */
import { z } from "zod";
import { roleSchema } from "../protocol/envelope.ts";
import { compileFilter } from "../protocol/filter.ts";
import type { Principal } from "./identity.ts";

/** A session grant: a session id, a `prefix*` pattern such as `team-a:*`, or `*`. */
export const sessionPatternSchema = z.string().regex(
  /^(\*|[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}\*?)$/,
  'A session grant is a session id, a prefix ending in "*", or "*"',
);

/** The claims Switchboard reads from a token. Other claims are ignored. */
export const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  role: roleSchema,
  sessions: z.array(sessionPatternSchema).max(256).optional(),
  /** Space-separated extra rights: `commands` (orchestrators may steer), `publish` (dashboards may publish). */
  scope: z.string().max(1024).optional(),
  exp: z.number(),
});

/** Verified token claims. */
export type Claims = z.infer<typeof claimsSchema>;

/** Builds the principal of verified claims. Admins may access every session. */
export function principalFromClaims(claims: Claims): Principal {
  const sessions = claims.role === "admin" ? ["*"] : claims.sessions ?? [];
  const canAccess = sessions.length === 0 ? () => false : compileFilter(sessions);
  return {
    subject: claims.sub,
    role: claims.role,
    canAccess,
    scopes: new Set((claims.scope ?? "").split(" ").filter((s) => s !== "")),
    expiresAt: claims.exp * 1000,
  };
}
