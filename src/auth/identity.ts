/**
 * @module Who is acting: the principal (role, grants, scopes, expiry) and the actor that carries
 * it, plus the one rule for whether a principal may touch a session. Pure: the hub and every
 * edge share these types.
 */
import type { Role } from "../protocol/envelope.ts";

/** What an authenticated (or development-mode) caller may do. */
export interface Principal {
  /** The token's `sub`; `undefined` in development mode. */
  readonly subject: string | undefined;
  /** The role granted. */
  readonly role: Role;
  /** Whether the principal's grants cover a session (see {@linkcode mayAccess} for admins). */
  readonly canAccess: (session: string) => boolean;
  /** Extra rights beyond the role: `commands` (orchestrators), `publish` (dashboards). */
  readonly scopes: ReadonlySet<string>;
  /** When the credentials expire (ms since the epoch); `undefined` for never. */
  readonly expiresAt: number | undefined;
}

/** Who performed an action: a connection, or a REST caller. */
export interface Actor {
  /** Connection id, or `rest` / `rest:<sub>` for REST callers. */
  readonly id: string;
  /** What the actor may do. */
  readonly principal: Principal;
}

/** Whether `principal` may touch `session`: admins always, others with a grant for it. */
export function mayAccess(principal: Principal, session: string): boolean {
  return principal.role === "admin" || principal.canAccess(session);
}

/** No grants needed, no extra scopes: what every development principal shares. */
const NO_SCOPES: ReadonlySet<string> = new Set();
const anySession = () => true;

/** One frozen principal per role, shared by every development-mode connection. */
const DEVELOPMENT: Readonly<Record<Role, Principal>> = {
  orchestrator: developmentOf("orchestrator"),
  dashboard: developmentOf("dashboard"),
  admin: developmentOf("admin"),
};

function developmentOf(role: Role): Principal {
  return Object.freeze({
    subject: undefined,
    role,
    canAccess: anySession,
    scopes: NO_SCOPES,
    expiresAt: undefined,
  });
}

/**
 * Local development mode: the declared role on every session, no extra scopes, no expiry.
 * Used when no authentication is configured and by trusted in-process callers. The principal
 * is shared and frozen, so thousands of sockets do not each hold a copy.
 */
export function developmentPrincipal(role: Role): Principal {
  return DEVELOPMENT[role];
}
