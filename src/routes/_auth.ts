/**
 * @module Who a REST request acts as: `Authorization: Bearer <token>` when authentication is on,
 * an admin in local development mode; and the rate limits it draws on.
 */
import type { MiddlewareHandler } from "hono";
import type { EdgeContext } from "../app.ts";
import { type Actor, developmentPrincipal, type Principal } from "../auth/identity.ts";
import { bearerToken } from "../auth/verifier.ts";
import type { Caller } from "../ingress/gate.ts";
import type { SessionId } from "../ingress/inbound_limits.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import type { StreamTickets } from "../sse/tickets.ts";

/**
 * Hono environment of the API routes: the acting caller, and for `/sessions/:id/...` the
 * session id the gate checked.
 */
export type ApiEnv = { Variables: { actor: Actor; caller: Caller; session: SessionId } };

/** In development mode REST callers act as admin. */
const DEVELOPMENT_PRINCIPAL = developmentPrincipal("admin");

/**
 * Sets `actor` and `caller`, or fails with `UNAUTHORIZED` (401) for a missing or bad token. With
 * `tickets`, an event stream (`GET .../stream`) may present a one-time `?ticket=` instead.
 */
export function authenticate(
  context: Pick<EdgeContext, "verifier" | "rateLimiter">,
  tickets?: StreamTickets,
): MiddlewareHandler<ApiEnv> {
  const { verifier, rateLimiter } = context;
  return async function authenticateRequest(c, next) {
    let principal: Principal = DEVELOPMENT_PRINCIPAL;
    if (verifier !== undefined) {
      const token = bearerToken(c.req.header("authorization"));
      const ticket = c.req.method === "GET" && c.req.path.endsWith("/stream")
        ? c.req.query("ticket")
        : undefined;
      if (token === undefined && ticket !== undefined && tickets !== undefined) {
        principal = tickets.redeem(ticket);
      } else if (token === undefined) {
        throw new SwitchboardError("UNAUTHORIZED", "Send Authorization: Bearer <token>");
      } else {
        principal = await verifier(token);
      }
    }
    const actor: Actor = {
      id: principal.subject === undefined ? "rest" : `rest:${principal.subject}`,
      principal,
    };
    c.set("actor", actor);
    c.set("caller", { actor, limiter: rateLimiter.forRequest(principal) });
    await next();
  };
}
