/**
 * @module What the hub needs of a socket and of a caller. The WebSocket edge adapts Deno's
 * WebSocket to a transport; both edges describe their caller as an actor with a principal.
 */
import type { Role } from "../protocol/envelope.ts";

/** A socket-like sink for text frames. */
export interface Transport {
  /** Queues a text frame. */
  send(frame: string): void;
  /** Closes with a WebSocket close code and a short reason. */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  /** `true` while frames can be sent. */
  readonly isOpen: boolean;
}

/** What an authenticated (or development-mode) caller may do. */
export interface Principal {
  /** The token's `sub`; `undefined` in development mode. */
  readonly subject: string | undefined;
  /** The role granted. */
  readonly role: Role;
  /** Whether the principal may touch a session. */
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

/** No grants needed, no extra scopes: what every development principal shares. */
const NO_SCOPES: ReadonlySet<string> = new Set();
const anySession = () => true;

/** One principal per role, shared by every development-mode connection (nothing per socket). */
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
 * is shared and frozen.
 */
export function developmentPrincipal(role: Role): Principal {
  return DEVELOPMENT[role];
}
