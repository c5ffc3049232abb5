/**
 * @module Token helpers for security tests: mint HS256 tokens with hono's JWT helper and open
 * authenticated sockets.
 */
import { sign } from "hono/jwt";
import type { RunningServer } from "../../src/mod.ts";
import { startTestServer, TestSocket } from "../_helpers.ts";

/** The secret every security test server uses. */
export const SECRET = "test-secret-that-is-long-enough";

/** Claims for {@linkcode mint}; `ttlS` defaults to an hour. */
export interface MintOptions {
  role: "orchestrator" | "dashboard" | "admin";
  sessions?: string[];
  sub?: string;
  scope?: string;
  ttlS?: number;
  secret?: string;
}

/** Signs a token. */
export function mint(options: MintOptions): Promise<string> {
  const { role, sessions, scope, ttlS = 3600, secret = SECRET } = options;
  return sign(
    {
      sub: options.sub ?? `${role}-user`,
      role,
      ...(sessions ? { sessions } : {}),
      ...(scope ? { scope } : {}),
      exp: Math.floor(Date.now() / 1000) + ttlS,
    },
    secret,
    "HS256",
  );
}

/** Starts a server that requires tokens. */
export function startSecureServer(config: Record<string, unknown> = {}): Promise<RunningServer> {
  return startTestServer({ jwtSecret: SECRET, authTimeoutMs: 1_000, ...config });
}

/** Opens a socket and authenticates with an `auth` frame; resolves once `connected`. */
export async function openAuthed(
  server: RunningServer,
  token: string,
  query = "",
): Promise<TestSocket> {
  const socket = await TestSocket.openRaw(server, query);
  socket.send({ event: "auth", payload: { token } });
  await socket.next((f) => f.event === "connected");
  return socket;
}
