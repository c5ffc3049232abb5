/**
 * @module Long polling: `GET /api/sessions/:id/events?after=N&wait=S` holds the request until
 * the session has an event after N (or `wait` seconds pass), then answers as the plain history
 * page does. One shared ticker checks every waiting request against the sessions' head, a field
 * read each; a waiting request is a hub connection, so shutting the hub down answers it at once.
 */
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import type { EdgeContext } from "../app.ts";
import type { Actor } from "../auth/identity.ts";
import type { Hub } from "../hub/hub.ts";
import type { Transport } from "../hub/transport.ts";
import { parseOrThrow } from "../protocol/validate.ts";
import type { ApiEnv } from "./_auth.ts";

/** The longest wait a request may ask for, in seconds; longer asks are cut to it. */
export const MAX_WAIT_S = 60;

/** How often waiting requests are checked, in milliseconds. */
const TICK_MS = 20;

/** The long-poll part of `GET /api/sessions/:id/events`'s query (listed in the OpenAPI document). */
export const querySchema = z.object({
  after: z.coerce.number().int().min(0).safe().default(0),
  wait: z.coerce.number().min(0).optional(),
});

interface Waiter {
  session: string;
  after: number;
  actor: Actor;
  deadline: number;
  wake: () => void;
}

/** Holds `GET .../events?wait=` requests until there is news; others pass straight through. */
export function longPoll({ hub }: Pick<EdgeContext, "hub">): MiddlewareHandler<ApiEnv> {
  const waiters = new Set<Waiter>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    const now = Date.now();
    for (const waiter of waiters) {
      if (now >= waiter.deadline || news(hub, waiter)) waiter.wake();
    }
  };
  return async function waitForNews(c, next) {
    if (c.req.query("wait") === undefined) return await next();
    const { after, wait } = parseOrThrow(querySchema, c.req.query(), {
      code: "INVALID_PAYLOAD",
      prefix: "query",
    });
    const waitS = Math.min(wait ?? 0, MAX_WAIT_S);
    const waiter: Waiter = {
      session: c.var.session,
      after,
      actor: c.var.actor,
      deadline: Date.now() + waitS * 1000,
      wake: () => {},
    };
    if (waitS > 0 && !news(hub, waiter)) {
      await new Promise<void>((resolve) => {
        const transport = closeSignal(() => waiter.wake(), (t) => hub.pong(connection, t));
        const connection = hub.connect(transport, { principal: c.var.actor.principal });
        // A caller that hangs up is released at its deadline: the wait is bounded, and reading
        // the request's abort signal costs Deno's legacy-abort warning on every answer.
        waiter.wake = () => {
          waiters.delete(waiter);
          if (waiters.size === 0) {
            clearInterval(timer);
            timer = undefined;
          }
          connection.closed();
          resolve();
        };
        waiters.add(waiter);
        timer ??= setInterval(tick, TICK_MS);
      });
    }
    await next();
  };
}

function news(hub: Hub, waiter: Waiter): boolean {
  return hub.publishedSeq(waiter.session, waiter.actor) > waiter.after;
}

/**
 * A transport that carries nothing but its closing (the hub closes it when it shuts down) and
 * answers heartbeat pings, since the request is alive while it waits.
 */
function closeSignal(onClose: () => void, onPing: (t: number) => void): Transport {
  let open = true;
  return {
    send(frame: string) {
      if (frame.startsWith('{"event":"ping"')) onPing(JSON.parse(frame).payload.t);
    },
    close() {
      if (!open) return;
      open = false;
      onClose();
    },
    bufferedAmount: 0,
    get isOpen() {
      return open;
    },
  };
}
