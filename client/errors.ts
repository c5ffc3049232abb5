/**
 * @module The one error class the client rejects with: a stable code from the server or from
 * the client itself, and a sentence.
 */
import type { ServerErrorCode } from "./protocol.ts";

/**
 * Codes the client adds to the server's: `ACK_TIMEOUT` (no ack in time), `DISCONNECTED` (the
 * connection ended before the ack, or the emit was volatile while offline), `BUFFER_FULL` (the
 * offline buffer held `maxBufferedEmits` already), `CONNECT_FAILED` and `CONNECT_TIMEOUT`
 * (given to `connect_error`).
 */
export type ClientErrorCode =
  | "ACK_TIMEOUT"
  | "DISCONNECTED"
  | "BUFFER_FULL"
  | "CONNECT_FAILED"
  | "CONNECT_TIMEOUT";

/** Every code a {@linkcode SwitchboardError} may carry. */
export type ErrorCode = ServerErrorCode | ClientErrorCode;

/** An expected failure with a stable code. */
export class SwitchboardError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  /** Creates an error with `code` and a sentence-case `message`. */
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "SwitchboardError";
    this.code = code;
  }
}
