/**
 * @module The viewer's token: kept in `sessionStorage` (this tab only, gone when it closes),
 * never put in a URL; its claims decide which controls the page offers.
 */

const KEY = "switchboard.token";

/** The claims the page reads from a token (the server verifies it; the page only adapts). */
export interface Claims {
  sub?: string;
  role?: "orchestrator" | "dashboard" | "admin";
  scope?: string;
  exp?: number;
}

/** The stored token, if any. */
export function getToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** Stores the token for this tab. */
export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** Forgets the token (refused or signed out). */
export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** Reads a JWT's payload without verifying it; `undefined` when it is not a JWT. */
export function readClaims(token: string | undefined): Claims | undefined {
  const part = token?.split(".")[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json);
    return typeof claims === "object" && claims !== null ? claims as Claims : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the viewer may steer: dashboards and admins may, orchestrators only with the
 * `commands` scope. Without a token (development mode) the page acts as a dashboard.
 */
export function canCommand(claims: Claims | undefined): boolean {
  if (!claims) return true;
  if (claims.role === "orchestrator") return (claims.scope ?? "").split(" ").includes("commands");
  return true;
}
