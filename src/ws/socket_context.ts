/**
 * @module What an authenticated socket hands the dispatcher with every frame: its frame context
 * and its caller in one small object. Idle sockets are the bulk of a large server's memory, and a
 * context literal, a caller literal and the closures they held cost about 280 bytes per socket;
 * this object costs about 60, and the abuse callback is only made when a caller earns it.
 */
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import type { Caller, Gate } from "../ingress/gate.ts";
import type { ConnectionLimiter } from "../limits/rate_limiter.ts";
import { CLOSE_CODES } from "../protocol/mod.ts";
import type { FrameContext } from "./dispatch.ts";

/** Accepts an in-band token (`auth`, `auth:refresh`); resolves the ack's fields. */
export interface TokenRefresher {
  /** Replaces the connection's credentials with those of `token`. */
  refresh(token: string): Promise<Record<string, unknown>>;
}

/** One authenticated socket's frame context, which is also its caller. */
export class SocketContext implements FrameContext, Caller {
  /** The hub frames act on. */
  readonly hub: Hub;
  /** The inbound gate every frame goes through. */
  readonly gate: Gate;
  /** The hub's view of the socket. */
  readonly connection: Connection;
  /** The connection's rate limits. */
  readonly limiter: ConnectionLimiter;
  readonly #refresher: TokenRefresher;

  /** Binds `connection` with its limits to the hub, the gate and whatever refreshes its token. */
  constructor(
    edge: { hub: Hub; gate: Gate },
    connection: Connection,
    limiter: ConnectionLimiter,
    refresher: TokenRefresher,
  ) {
    this.hub = edge.hub;
    this.gate = edge.gate;
    this.connection = connection;
    this.limiter = limiter;
    this.#refresher = refresher;
  }

  /** The caller the gate holds to limits: this same object. */
  get caller(): Caller {
    return this;
  }

  /** The acting principal: the connection. */
  get actor(): Connection {
    return this.connection;
  }

  /** Closes the connection for persistent rate-limit abuse (made on demand, called unbound). */
  get onAbuse(): () => void {
    const connection = this.connection;
    return () => connection.close(CLOSE_CODES.RATE_LIMITED, "Rate limit abuse");
  }

  /** Replaces the connection's credentials (`auth` / `auth:refresh`); resolves ack fields. */
  refresh(token: string): Promise<Record<string, unknown>> {
    return this.#refresher.refresh(token);
  }
}
