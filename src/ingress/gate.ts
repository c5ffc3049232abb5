/**
 * @module The inbound gate: every way in (WebSocket, REST, and the edges that follow) turns
 * "this caller sent this" into a hub call here, so parsing, limits and authorization are written
 * once and every edge refuses the same input with the same code. Edges only map their transport
 * to these calls and the answers back.
 */
import type { Actor } from "../auth/identity.ts";
import type { Connection } from "../hub/connection.ts";
import type { Hub, SubscribeOptions } from "../hub/hub.ts";
import type { Queued } from "../hub/queued.ts";
import type { SubscribeResult } from "../hub/session.ts";
import type { ConnectionLimiter } from "../limits/rate_limiter.ts";
import type { CommandResult } from "../protocol/commands.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { isJsonObject, parseCommand, parseEvent, type ValidEvent } from "../protocol/parse.ts";
import { subscribePayloadSchema } from "../protocol/requests.ts";
import { parseOrThrow } from "../protocol/validate.ts";
import {
  compileLimits,
  type InboundLimits,
  type LimitChecks,
  type SessionId,
} from "./inbound_limits.ts";

/** Who is calling and the limits they are held to. */
export interface Caller {
  /** The acting principal. */
  actor: Actor;
  /** Rate limits of this caller (a connection, or a REST request's subject). */
  limiter: ConnectionLimiter;
  /** Called when the caller has earned a close for persistent rate-limit abuse. */
  onAbuse?: () => void;
  /** The caller's connection, for a WebSocket (its inbound frames are counted). */
  connection?: Connection;
}

/** Most events one publish call may carry. */
export const MAX_EVENTS_PER_PUBLISH = 1000;

/** The checks between the edges and the hub. */
export class Gate {
  readonly #hub: Hub;
  readonly #checks: LimitChecks;

  /** Creates the gate in front of `hub`, holding every caller to `limits`. */
  constructor(hub: Hub, limits: InboundLimits) {
    this.#hub = hub;
    this.#checks = compileLimits(limits);
  }

  /**
   * Validates a session id as every edge must before naming a session (`INVALID_FRAME`);
   * `field` names where it came from in the message. @default "session"
   */
  sessionId(value: unknown, field?: string): SessionId {
    return this.#checks.sessionId(value, field);
  }

  /** Takes one frame (or request) from the caller's rate limit; throws `RATE_LIMITED`. */
  admitFrame(caller: Caller): void {
    caller.connection?.received();
    if (!caller.limiter.allowFrame()) throw this.#rateLimited(caller, "Too many frames: slow down");
  }

  /**
   * Validates events (`{event, payload}` items as sent) and queues them in the session's order;
   * the result resolves with their seqs once stored. `session` may be a function, for an edge
   * whose frames may leave the session implicit.
   */
  publish(
    caller: Caller,
    session: SessionId | (() => SessionId),
    items: readonly unknown[],
  ): Promise<Queued<number[]>> {
    if (items.length === 0 || items.length > MAX_EVENTS_PER_PUBLISH) {
      throw new SwitchboardError(
        "INVALID_PAYLOAD",
        `Send 1 to ${MAX_EVENTS_PER_PUBLISH} events, got ${items.length}`,
      );
    }
    const events = items.map((item, index) => {
      if (!isJsonObject(item)) {
        throw new SwitchboardError("INVALID_PAYLOAD", `Event ${index} must be an object`);
      }
      return this.#event(item.event, item.payload);
    });
    // The events are judged before an implicit session is looked for.
    const id = typeof session === "function" ? session() : session;
    return this.#hub.enqueuePublish(caller.actor, id, events);
  }

  /** Validates a command payload `{type, ...}` and queues it in the session's order. */
  command(caller: Caller, session: SessionId, payload: unknown): Queued<CommandResult> {
    if (!caller.limiter.allowCommand()) {
      throw this.#rateLimited(caller, "Too many commands: slow down");
    }
    this.#checks.depth(payload);
    return this.#hub.enqueueCommand(caller.actor, session, parseCommand(payload));
  }

  /** Validates a subscribe payload and registers the subscription in the session's order. */
  subscribe(
    connection: Connection,
    session: SessionId,
    payload: unknown,
    onLive?: SubscribeOptions["onLive"],
  ): Promise<Queued<SubscribeResult>> {
    this.#checks.depth(payload);
    const options = parseOrThrow(subscribePayloadSchema, payload, {
      code: "INVALID_PAYLOAD",
      prefix: "payload",
    });
    return this.#hub.enqueueSubscribe(connection, session, { ...options, onLive });
  }

  /** Ends a subscription. */
  unsubscribe(connection: Connection, session: SessionId): void {
    this.#hub.unsubscribe(connection, session);
  }

  /** Validates one event: its name (once), its nesting, then its catalogue schema. */
  #event(name: unknown, payload: unknown): ValidEvent {
    const event = this.#checks.eventName(name);
    this.#checks.depth(payload);
    return parseEvent(event, payload);
  }

  #rateLimited(caller: Caller, message: string): SwitchboardError {
    this.#hub.counters.rateLimited++;
    if (caller.limiter.strike() && caller.onAbuse) queueMicrotask(caller.onAbuse);
    return new SwitchboardError("RATE_LIMITED", message);
  }
}
