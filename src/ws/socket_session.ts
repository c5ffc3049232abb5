/**
 * @module One WebSocket's life, independent of Deno: authenticate (token in the request, or an
 * `auth` frame before a deadline), join the URL's session, then hand frames to the dispatcher
 * through one serial queue, so they take effect in arrival order whatever is slow; enforce the
 * token's expiry and accept refreshed tokens in-band.
 */
import { developmentPrincipal, mayAccess, type Principal } from "../auth/identity.ts";
import type { TokenVerifier } from "../auth/verifier.ts";
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import type { Transport } from "../hub/transport.ts";
import type { Gate } from "../ingress/gate.ts";
import { SerialQueue } from "../ingress/serial_queue.ts";
import type { RateLimiter } from "../limits/rate_limiter.ts";
import {
  CLOSE_CODES,
  closeCodeFor,
  encodeAck,
  encodeError,
  encodeFrame,
  isJsonObject,
  PROTOCOL_VERSION,
  type RequestId,
  requestIdSchema,
  SwitchboardError,
  toErrorBody,
} from "../protocol/mod.ts";
import { tokenPayloadSchema } from "./auth_frame.ts";
import type { ConnectQuery } from "./connect_query.ts";
import { dispatchFrame } from "./dispatch.ts";
import { SocketContext, type TokenRefresher } from "./socket_context.ts";

/** Settings every socket of a server shares. */
export interface SocketOptions {
  /** The inbound gate every frame goes through. */
  gate: Gate;
  /** Checks tokens; `undefined` means development mode (no authentication). */
  verifier: TokenVerifier | undefined;
  /** Largest inbound frame in bytes (announced in `connected`). */
  maxFrameBytes: number;
  /** Milliseconds allowed for the `auth` frame. */
  authTimeoutMs: number;
  /** Hands out per-connection rate limits. */
  rateLimiter: RateLimiter;
  /** Milliseconds since the epoch, for token expiry. @default Date.now */
  clock?: () => number;
}

/** Frames a client may send after `auth` before its token is checked. */
const MAX_HELD_FRAMES = 32;
/** Warn this long before a token expires (or halfway, for short-lived tokens). */
const EXPIRY_WARNING_MS = 60_000;

/**
 * Drives one socket from open to close. Thousands of these sit idle on a busy server, so what
 * only some sockets need is made when they need it: the frame context (after authentication)
 * and at most one timer at a time (the auth deadline, then the expiry warning, which arms the
 * expiry itself); tokens without expiry and development mode have none.
 */
export class SocketSession implements TokenRefresher {
  readonly #hub: Hub;
  readonly #transport: Transport;
  readonly #query: ConnectQuery;
  readonly #token: string | undefined;
  readonly #options: SocketOptions;
  readonly #queue = new SerialQueue();
  #context: SocketContext | undefined;
  #authenticating = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Prepares a session for a socket that asked for `query`, with a request `token` if any. */
  constructor(
    hub: Hub,
    socket: { transport: Transport; query: ConnectQuery; token: string | undefined },
    options: SocketOptions,
  ) {
    this.#hub = hub;
    this.#transport = socket.transport;
    this.#query = socket.query;
    this.#token = socket.token;
    this.#options = options;
  }

  /** The hub's view of this socket once authenticated. */
  get connection(): Connection | undefined {
    return this.#context?.connection;
  }

  /** Frames received and not yet admitted (queued in their session); 0 when idle. */
  get backlog(): number {
    return this.#queue.length;
  }

  /** The socket opened: authenticate now, or wait for the `auth` frame. */
  open(): void {
    if (this.#options.verifier === undefined) {
      this.#start(developmentPrincipal(this.#query.role ?? "dashboard"));
      return this.#queue.run(() => this.#joinUrlSession());
    }
    if (this.#token !== undefined) return this.#authenticateFirst(this.#token, undefined);
    this.#after(this.#options.authTimeoutMs, () => {
      if (!this.#context && !this.#authenticating) {
        this.#refuse(new SwitchboardError("UNAUTHORIZED", "No auth frame within the deadline"));
      }
    });
  }

  /** A text frame arrived. */
  message(text: string): void {
    if (!this.#context && !this.#authenticating) {
      const auth = readAuthFrame(text);
      if (auth) return this.#authenticateFirst(auth.token, auth.id);
      return this.#refuse(
        new SwitchboardError(
          "UNAUTHORIZED",
          'Authenticate first: send {"event":"auth","payload":{"token"}}',
        ),
      );
    }
    // While the token is checked frames wait in order, but not without bound.
    if (this.#authenticating && this.#queue.length > MAX_HELD_FRAMES) {
      return this.#refuse(
        new SwitchboardError("RATE_LIMITED", "Too many frames before authentication"),
      );
    }
    this.#queue.run(() => this.#context ? dispatchFrame(this.#context, text) : undefined);
  }

  /** The socket closed, from either side. */
  closed(): void {
    clearTimeout(this.#timer);
    this.#context?.connection.closed();
  }

  /** Queues authentication, then the URL's session, ahead of every later frame. */
  #authenticateFirst(token: string, id: RequestId | undefined): void {
    this.#authenticating = true;
    this.#queue.run(() => this.#authenticate(token, id));
    this.#queue.run(() => this.#joinUrlSession());
  }

  async #authenticate(token: string, id: RequestId | undefined): Promise<void> {
    let principal: Principal;
    try {
      principal = await this.#options.verifier!(token);
      if (this.#query.role !== undefined && this.#query.role !== principal.role) {
        throw new SwitchboardError(
          "FORBIDDEN",
          `The token grants role "${principal.role}", not "${this.#query.role}"`,
        );
      }
    } catch (error) {
      return this.#refuse(error);
    } finally {
      this.#authenticating = false;
    }
    if (!this.#transport.isOpen) return;
    const connection = this.#start(principal);
    if (id !== undefined) connection.send(encodeAck(id, { expiresAt: principal.expiresAt }));
  }

  #start(principal: Principal): Connection {
    const connection = this.#hub.connect(this.#transport, { principal });
    const limiter = this.#options.rateLimiter.forConnection(principal);
    this.#context = new SocketContext(
      { hub: this.#hub, gate: this.#options.gate },
      connection,
      limiter,
      this,
    );
    this.#watchExpiry(principal);
    const session = this.#query.session;
    connection.send(encodeFrame("connected", {
      id: connection.id,
      role: principal.role,
      sessions: session === undefined ? [] : [session],
      heartbeatMs: this.#hub.heartbeatMs,
      maxFrameBytes: this.#options.maxFrameBytes,
      protocol: PROTOCOL_VERSION,
    }));
    return connection;
  }

  /** Subscribes to the session named in the URL, as a `subscribe` frame would. */
  async #joinUrlSession(): Promise<void> {
    const session = this.#query.session;
    const connection = this.#context?.connection;
    if (session === undefined || connection === undefined) return;
    const { gate } = this.#options;
    const { lastSeq, epoch, events } = this.#query;
    const fail = (error: unknown) => connection.send(encodeError(toErrorBody(error), session));
    try {
      const { result } = await gate.subscribe(
        connection,
        gate.sessionId(session, "query.session"),
        { lastSeq, epoch, events },
        (subscribed) => connection.send(encodeFrame("subscribed", subscribed, { session })),
      );
      result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  /** Accepts a new token for the same subject and role, in place, without a reconnect. */
  async refresh(token: string): Promise<Record<string, unknown>> {
    const connection = this.#context!.connection;
    if (this.#options.verifier === undefined) return {}; // development mode: nothing to refresh
    const next = await this.#options.verifier(token);
    const current = connection.principal;
    if (next.subject !== current.subject || next.role !== current.role) {
      throw new SwitchboardError(
        "FORBIDDEN",
        "A refreshed token must keep the same subject and role",
      );
    }
    connection.principal = next;
    // Grants may have shrunk: leave the sessions the new token no longer covers.
    for (const session of [...connection.subscriptions.keys()]) {
      if (!mayAccess(next, session)) {
        this.#hub.unsubscribe(connection, session);
        connection.send(
          encodeError(
            { code: "FORBIDDEN", message: "Grant withdrawn by the refreshed token" },
            session,
          ),
        );
      }
    }
    this.#watchExpiry(next);
    return { expiresAt: next.expiresAt };
  }

  /**
   * Warns before the token expires, then closes the connection when it does. Replaces whatever
   * was armed before (the auth deadline, or the previous token's expiry).
   */
  #watchExpiry(principal: Principal): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { expiresAt } = principal;
    if (expiresAt === undefined) return;
    const now = this.#options.clock ?? Date.now;
    const left = expiresAt - now();
    const warnIn = Math.max(0, left - Math.min(EXPIRY_WARNING_MS, left / 2));
    this.#after(warnIn, () => {
      this.connection?.send(encodeFrame("auth:expiring", { expiresAt }));
      this.#after(Math.max(0, expiresAt - now()), () => {
        this.connection?.send(encodeError({ code: "UNAUTHORIZED", message: "Token expired" }));
        this.connection?.close(CLOSE_CODES.UNAUTHORIZED, "Token expired");
      });
    });
  }

  /** Sends the reason and closes with the code its error maps to. */
  #refuse(error: unknown): void {
    const body = toErrorBody(error);
    const code = closeCodeFor(body.code) ?? CLOSE_CODES.UNAUTHORIZED;
    if (this.#transport.isOpen) {
      this.#transport.send(encodeError(body));
      this.#transport.close(code, body.message.slice(0, 120));
    }
  }

  /** Arms the socket's one timer (replacing none: callers clear what they replace). */
  #after(ms: number, fn: () => void): void {
    // setTimeout's delay is a 32-bit integer; a token valid for longer is re-checked later.
    const delay = Math.min(ms, 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (delay === ms) fn();
      else this.#after(ms - delay, fn);
    }, delay);
  }
}

function readAuthFrame(text: string): { token: string; id: RequestId | undefined } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(raw) || raw.event !== "auth") return undefined;
  const payload = tokenPayloadSchema.safeParse(raw.payload);
  if (!payload.success) return undefined;
  return { token: payload.data.token, id: requestIdSchema.safeParse(raw.id).data };
}
