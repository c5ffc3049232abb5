/**
 * @module Stable error codes shared by the WebSocket and REST edges, and the one error class
 * that carries them.
 */

/** Every error code the server sends, with the HTTP status it maps to. */
export const ERROR_STATUS = {
  BAD_JSON: 400,
  INVALID_FRAME: 400,
  UNKNOWN_EVENT: 400,
  INVALID_PAYLOAD: 422,
  INVALID_COMMAND: 422,
  INVALID_CHOICE: 422,
  SESSION_REQUIRED: 400,
  FRAME_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  SKILL_NOT_FOUND: 404,
  DECISION_NOT_FOUND: 409,
  CHECKPOINT_NOT_FOUND: 409,
  NOT_SUBSCRIBED: 409,
  SESSION_EXISTS: 409,
  INVALID_STATE: 409,
  IDEMPOTENCY_CONFLICT: 422,
  RATE_LIMITED: 429,
  LIMIT_EXCEEDED: 429,
  STORE_FAILED: 503,
  STORE_UNAVAILABLE: 503,
  CLIENT_NOT_BUILT: 503,
  INTERNAL: 500,
} as const;

/** A stable, documented error code (see docs/PROTOCOL.md). */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The wire form of an error: inside `ack` and `error` frames and REST error bodies. */
export interface ErrorBody {
  /** Stable machine-readable code. */
  code: ErrorCode;
  /** Human-readable sentence; may change between versions. */
  message: string;
}

/** An expected failure with a stable code; anything else reaching the edge is a bug. */
export class SwitchboardError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  /** Creates an error with a code from {@linkcode ERROR_STATUS} and a sentence-case message. */
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SwitchboardError";
    this.code = code;
  }

  /** The HTTP status this error maps to. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The wire form `{code, message}`. */
  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** Maps any thrown value to a wire error body; unknown failures become `INTERNAL`. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof SwitchboardError) return error.toBody();
  return { code: "INTERNAL", message: "Internal server error" };
}
