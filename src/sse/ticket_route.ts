/**
 * @module `POST /api/stream-tickets`: trades the caller's credentials for a one-time ticket an
 * `EventSource` can put in its URL (`?ticket=`), since it cannot send `Authorization`.
 */
import { Hono } from "hono";
import type { ApiEnv } from "../routes/_auth.ts";
import type { StreamTickets } from "./tickets.ts";

/** The ticket route. */
export function streamTicketRoutes(tickets: StreamTickets): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post("/", (c) => {
    const { ticket, expiresAt } = tickets.issue(c.var.actor.principal);
    return c.json({ success: true, ticket, expiresAt }, 201);
  });
}
