/**
 * @module `Idempotency-Key` on REST publishes: a retried request (after a timeout or a dropped
 * connection) gets the first answer again, same status and seqs, without appending again. The
 * first answer is kept by the store (so it survives a restart on SQLite) for an hour.
 */
import type { MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Hub } from "../hub/hub.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import type { ApiEnv } from "./_auth.ts";

/** How long a first answer is remembered: retries come within minutes, so one hour is ample. */
export const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;

const KEY_FORM = /^[\x21-\x7e]{1,128}$/;

/**
 * Answers a request whose `Idempotency-Key` was seen with the first answer; remembers the first
 * successful (2xx) answer otherwise. The same key with another body is `IDEMPOTENCY_CONFLICT`.
 * Failures are not remembered: they appended nothing, so a retry may simply run again.
 */
export function idempotentRequests(
  hub: Hub,
  clock: () => number = Date.now,
): MiddlewareHandler<ApiEnv> {
  // Requests with a key still running here: a retry that overtakes the first attempt waits.
  const running = new Map<string, Promise<void>>();
  return async function idempotentRequest(c, next) {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return await next();
    if (!KEY_FORM.test(key)) {
      throw new SwitchboardError(
        "INVALID_PAYLOAD",
        "Idempotency-Key must be 1 to 128 visible ASCII characters",
      );
    }
    const session = c.var.session;
    // Keys are per caller: two subjects cannot see each other's answers.
    const scoped = `${c.var.actor.id} ${key}`;
    const slot = `${session}\n${scoped}`;
    const fingerprint = await digest(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    while (running.has(slot)) await running.get(slot);
    // Claimed in the same step as the check above, so one request per key runs at a time.
    let done!: () => void;
    running.set(slot, new Promise<void>((resolve) => done = resolve));
    try {
      const first = await hub.idempotency.get(session, scoped, clock());
      if (first) {
        if (first.fingerprint !== fingerprint) {
          throw new SwitchboardError(
            "IDEMPOTENCY_CONFLICT",
            `Idempotency key "${key}" was used for a different request`,
          );
        }
        c.header("Idempotent-Replayed", "true");
        c.header("content-type", "application/json");
        return c.body(first.body, first.status as ContentfulStatusCode);
      }
      await next();
      const { status } = c.res;
      if (status >= 200 && status < 300) {
        const body = await c.res.clone().text();
        const expiresAt = clock() + IDEMPOTENCY_TTL_MS;
        await hub.idempotency.put(session, scoped, { fingerprint, status, body, expiresAt });
      }
    } finally {
      running.delete(slot);
      done();
    }
  };
}

async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
}
