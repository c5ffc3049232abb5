/**
 * @module One-time stream tickets: a browser's `EventSource` cannot send `Authorization`, so a
 * page trades its token for a ticket (`POST /api/stream-tickets`) and opens the stream with
 * `?ticket=`. A ticket works once, within 60 s, so the URL that reaches logs holds nothing that
 * can be used again.
 */
import type { Principal } from "../auth/identity.ts";
import { BoundedMap } from "../hub/bounded_map.ts";
import { SwitchboardError } from "../protocol/errors.ts";

/** How long a ticket stays valid. */
export const TICKET_TTL_MS = 60_000;

/** Tickets issued and not yet used; past this many the oldest are forgotten. */
const MAX_TICKETS = 10_000;

/** Issued tickets, each for the principal that asked for it. */
export class StreamTickets {
  readonly #tickets = new BoundedMap<string, { principal: Principal; expiresAt: number }>(
    MAX_TICKETS,
  );
  readonly #clock: () => number;

  /** Creates an empty ticket book. */
  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** Issues a ticket acting as `principal`, valid once for {@linkcode TICKET_TTL_MS}. */
  issue(principal: Principal): { ticket: string; expiresAt: number } {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    const ticket = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
    // A ticket never outlives the token it was issued for.
    const expiresAt = Math.min(this.#clock() + TICKET_TTL_MS, principal.expiresAt ?? Infinity);
    this.#tickets.set(ticket, { principal, expiresAt });
    return { ticket, expiresAt };
  }

  /** Uses up a ticket: its principal, or `UNAUTHORIZED` when unknown, used or expired. */
  redeem(ticket: string): Principal {
    const entry = this.#tickets.get(ticket);
    this.#tickets.delete(ticket);
    if (!entry || entry.expiresAt <= this.#clock()) {
      throw new SwitchboardError("UNAUTHORIZED", "Stream ticket is unknown, used or expired");
    }
    return entry.principal;
  }
}
