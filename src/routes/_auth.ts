/**
 * @module Who a REST request acts as: `Authorization: Bearer <token>` when authentication is on,
 * an admin in local development mode.
 */
import type { MiddlewareHandler } from "hono";
import { bearerToken, type TokenVerifier } from "../auth/verifier.ts";
import { type Actor, developmentPrincipal } from "../hub/transport.ts";
import { SwitchboardError } from "../protocol/errors.ts";

/** Hono environment of the API routes: the acting caller is in `c.var.actor`. */
export type ApiEnv = { Variables: { actor: Actor } };

/** In development mode REST callers act as admin. */
const DEVELOPMENT_ACTOR: Actor = { id: "rest", principal: developmentPrincipal("admin") };

/** Sets `actor`, or fails with `UNAUTHORIZED` (401) for a missing or bad token. */
export function authenticate(verifier: TokenVerifier | undefined): MiddlewareHandler<ApiEnv> {
  return async function authenticateRequest(c, next) {
    if (verifier === undefined) {
      c.set("actor", DEVELOPMENT_ACTOR);
      return await next();
    }
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined) {
      throw new SwitchboardError("UNAUTHORIZED", "Send Authorization: Bearer <token>");
    }
    const principal = await verifier(token);
    c.set("actor", { id: `rest:${principal.subject}`, principal });
    await next();
  };
}
