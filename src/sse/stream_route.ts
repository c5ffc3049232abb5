/**
 * @module `GET /api/sessions/:id/stream`: a session as Server-Sent Events. A thin edge: the
 * reader becomes a hub connection over an {@linkcode SseTransport} and subscribes through the
 * gate, so replay then live has no gap, filters, authorization, slow-consumer budget and
 * orchestrators' commands are exactly the WebSocket's.
 */
import { isLoopbackAddress } from "../net/cidr.ts";
import { clientAddressResolver } from "../net/client_address.ts";
import { Hono } from "hono";
import { z } from "zod";
import type { EdgeContext } from "../app.ts";
import { developmentPrincipal, type Principal } from "../auth/identity.ts";
import type { Hub } from "../hub/hub.ts";
import type { SubscribeResult } from "../hub/session.ts";
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import { roleSchema } from "../protocol/envelope.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { parseOrThrow } from "../protocol/validate.ts";
import type { ApiEnv } from "../routes/_auth.ts";
import { SseEncoder } from "./encoder.ts";
import { KeepAlive } from "./keepalive.ts";
import { SseTransport } from "./transport.ts";

/** Milliseconds an `EventSource` waits before reconnecting (sent as `retry:`). */
export const RETRY_MS = 1000;

const seq = z.coerce.number().int().min(0).safe();
/** Query of `GET /api/sessions/:id/stream` (also what the OpenAPI document lists). */
export const querySchema = z.object({
  lastSeq: seq.optional(),
  epoch: z.string().min(1).max(64).optional(),
  events: z.string().max(4096).optional(),
  role: roleSchema.optional(),
});

/** The stream route, one encoder and keep-alive ticker for all its readers. */
export function streamRoutes(context: EdgeContext): Hono<ApiEnv> {
  const { hub, gate, verifier, config } = context;
  const encoder = new SseEncoder();
  const keepAlive = new KeepAlive();
  // Streams per client address, capped like WebSockets (counted apart from them).
  const openPerAddress = new Map<string, number>();
  // The same address and the same loopback exemption as the WebSocket's cap (--trust-proxy).
  const resolveAddress = clientAddressResolver(config.trustProxy);
  return new Hono<ApiEnv>().get("/:id/stream", async (c) => {
    gate.admitFrame(c.var.caller);
    const address = resolveAddress(clientAddress(c.env), c.req.raw.headers);
    const open = openPerAddress.get(address) ?? 0;
    if (open >= config.maxConnectionsPerIp && !isLoopbackAddress(address)) {
      throw new SwitchboardError("LIMIT_EXCEEDED", "Too many streams from this address");
    }
    const session = c.var.session;
    const query = parseOrThrow(querySchema, c.req.query(), {
      code: "INVALID_PAYLOAD",
      prefix: "query",
    });
    const lastEventId = c.req.header("last-event-id");
    const lastSeq = lastEventId !== undefined && lastEventId !== ""
      ? parseOrThrow(seq, lastEventId, { code: "INVALID_PAYLOAD", prefix: "Last-Event-ID" })
      : query.lastSeq ?? 0;
    // In development mode a reader declares its role, as on the WebSocket; with a token, never.
    let principal: Principal = c.var.actor.principal;
    if (verifier === undefined && query.role) principal = developmentPrincipal(query.role);
    else if (query.role && query.role !== principal.role) {
      throw new SwitchboardError("FORBIDDEN", `The token's role is ${principal.role}`);
    }
    const events = query.events?.split(",").map((e) => e.trim()).filter((e) => e !== "");

    let stopKeepAlive = () => {};
    let expiry: ReturnType<typeof setTimeout> | undefined;
    openPerAddress.set(address, open + 1);
    const transport = new SseTransport({
      encoder,
      onPing: (t) => hub.pong(connection, t),
      onEnd: () => {
        stopKeepAlive();
        clearTimeout(expiry);
        connection.closed();
        const left = (openPerAddress.get(address) ?? 1) - 1;
        if (left > 0) openPerAddress.set(address, left);
        else openPerAddress.delete(address);
      },
    });
    const connection = hub.connect(transport, { principal });
    transport.write(`retry: ${RETRY_MS}\n\n`);
    try {
      const reset = await resumeCheck(hub, c.var.actor, session, lastSeq, query.epoch);
      if (reset) transport.write(`event: reset\ndata: ${JSON.stringify(reset)}\n\n`);
      const queued = await gate.subscribe(
        connection,
        session,
        { lastSeq, epoch: query.epoch, events },
        (result: SubscribeResult) => {
          const payload = { session, ...result };
          transport.write(`event: subscribed\ndata: ${JSON.stringify(payload)}\n\n`);
        },
      );
      queued.result.catch(() => connection.close(CLOSE_CODES.INTERNAL_ERROR, "Replay failed"));
    } catch (error) {
      connection.close(CLOSE_CODES.GOING_AWAY, "Refused");
      throw error;
    }
    stopKeepAlive = keepAlive.add(transport);
    // A reader that hangs up is noticed at once, not at the next write.
    const completed = (c.env as { completed?: Promise<void> } | undefined)?.completed;
    const cancel = () => transport.cancel();
    if (completed) completed.then(cancel, cancel);
    else c.req.raw.signal.addEventListener("abort", cancel, { once: true });
    if (principal.expiresAt !== undefined) {
      // The stream ends with the token: the reader reconnects with fresh credentials.
      const left = Math.max(0, principal.expiresAt - Date.now());
      expiry = setTimeout(() => connection.close(CLOSE_CODES.UNAUTHORIZED, "Token expired"), left);
    }
    return new Response(transport.readable, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  });
}

/** The client's IP address from Deno.serve's connection info (absent under `app.request()`). */
function clientAddress(env: unknown): string {
  return (env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr?.hostname ??
    "unknown";
}

/**
 * Whether history still reaches back to `lastSeq` of `epoch`; when it does not, the `reset`
 * record to send before the replay (`recovered: false`, the current epoch and head).
 */
async function resumeCheck(
  hub: Hub,
  actor: Parameters<Hub["session"]>[1],
  session: string,
  lastSeq: number,
  epoch: string | undefined,
): Promise<{ recovered: false; epoch: string; headSeq: number } | undefined> {
  let info;
  try {
    info = hub.session(session, actor);
  } catch (error) {
    // A session that does not exist yet is created by the subscribe; `subscribed` says so.
    if (error instanceof SwitchboardError && error.code === "SESSION_NOT_FOUND") return undefined;
    throw error;
  }
  const reset = { recovered: false as const, epoch: info.epoch, headSeq: info.headSeq };
  if (epoch !== undefined && epoch !== info.epoch) return reset;
  if (lastSeq > info.headSeq) return reset;
  if (lastSeq === info.headSeq) return undefined;
  const [first] = await hub.readEvents(session, { after: lastSeq, limit: 1, actor });
  return first?.seq === lastSeq + 1 ? undefined : reset;
}
