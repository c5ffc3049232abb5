/**
 * @module An in-process hub connection: a transport that hands each frame the hub sends to a
 * callback instead of a socket, and answers the heartbeat itself. Edges that observe a session
 * (the Claude Code steering, the AG-UI stream) use it to read the session through the hub's
 * public API (subscribe: replay, then live, no gap), as a WebSocket client would.
 */
import type { Principal } from "../auth/identity.ts";
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import type { Transport } from "../hub/transport.ts";

/** A frame as the hub sends it, parsed. */
export interface HubFrame {
  /** Event name. */
  event: string;
  /** Session id, for session events and presence. */
  session?: string;
  /** Position in the session stream; absent for frames that are not stored events. */
  seq?: number;
  /** The payload. */
  payload: Record<string, unknown>;
  /** Server time of the append. */
  ts?: number;
}

/** Options of {@linkcode listen}. */
export interface ListenOptions {
  /** Called with every frame but heartbeat pings. */
  onFrame: (frame: HubFrame) => void;
  /** Called once when the hub closes the connection (slow consumer, shutdown). */
  onClose?: (code: number, reason: string) => void;
  /** Outbound bytes queued by the reader, for the hub's slow-consumer budget. @default 0 */
  bufferedAmount?: () => number;
}

class ListenerTransport implements Transport {
  /** The metrics and logs label: not a client socket, an edge inside the server. */
  readonly kind = "in-process";
  isOpen = true;
  connection: Connection | undefined;
  readonly #hub: Hub;
  readonly #options: ListenOptions;

  constructor(hub: Hub, options: ListenOptions) {
    this.#hub = hub;
    this.#options = options;
  }

  get bufferedAmount(): number {
    return this.#options.bufferedAmount?.() ?? 0;
  }

  send(text: string): void {
    const frame = JSON.parse(text) as HubFrame;
    if (frame.event === "ping") {
      const t = (frame.payload as { t: number }).t;
      // Answered after the hub has recorded the ping it is sending.
      queueMicrotask(() => this.connection && this.#hub.pong(this.connection, t));
      return;
    }
    this.#options.onFrame(frame);
  }

  close(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.#options.onClose?.(code, reason);
  }
}

/** Connects an in-process listener to the hub as `principal`; close it with `connection.close`. */
export function listen(hub: Hub, principal: Principal, options: ListenOptions): Connection {
  const transport = new ListenerTransport(hub, options);
  const connection = hub.connect(transport, { principal });
  transport.connection = connection;
  return connection;
}
