/**
 * @module What the hub needs of a socket. The WebSocket edge adapts Deno's WebSocket to this;
 * tests may pass any object of this shape.
 */

/** A socket-like sink for text frames. */
export interface Transport {
  /** Queues a text frame. */
  send(frame: string): void;
  /** Closes with a WebSocket close code and a short reason. */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  /** `true` while frames can be sent. */
  readonly isOpen: boolean;
}

/** Who performed an action: a connection, or a REST caller. */
export interface Actor {
  /** Connection id or REST caller name. */
  readonly id: string;
  /** The actor's role. */
  readonly role: import("../protocol/envelope.ts").Role;
}

/** What an authenticated (or development-mode) caller may do. */
export interface Principal {
  /** The token's `sub`; `undefined` in development mode. */
  readonly subject: string | undefined;
  /** The role granted. */
  readonly role: import("../protocol/envelope.ts").Role;
  /** Whether the principal may touch a session. */
  readonly canAccess: (session: string) => boolean;
  /** Extra rights beyond the role: `commands`, `publish`. */
  readonly scopes: ReadonlySet<string>;
  /** When the credentials expire (ms since the epoch); `undefined` for never. */
  readonly expiresAt: number | undefined;
}
