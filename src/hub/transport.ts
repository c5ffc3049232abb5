/**
 * @module What the hub needs of a socket: the WebSocket edge adapts Deno's WebSocket to this.
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
  /** What this is, for metrics and logs (`websocket`, `sse`, ...). @default "websocket" */
  readonly kind?: string;
}
