/**
 * @module Stable error codes shared by every edge, each with its HTTP status and (when it ends a
 * WebSocket) its close code, and the one error class that carries them.
 */
import { CLOSE_CODES, type CloseCode } from "./close_codes.ts";

/**
 * Every error code the server sends: the HTTP status it maps to and, for errors that end a
 * WebSocket, the close code (see {@linkcode CLOSE_CODES}).
 */
export const ERROR_CODES = {
  BAD_JSON: { status: 400 },
  INVALID_FRAME: { status: 400, close: CLOSE_CODES.INVALID_REQUEST },
  UNKNOWN_EVENT: { status: 400 },
  INVALID_PAYLOAD: { status: 422 },
  INVALID_COMMAND: { status: 422 },
  INVALID_CHOICE: { status: 422 },
  SESSION_REQUIRED: { status: 400 },
  FRAME_TOO_LARGE: { status: 413, close: CLOSE_CODES.FRAME_TOO_LARGE },
  UNAUTHORIZED: { status: 401, close: CLOSE_CODES.UNAUTHORIZED },
  FORBIDDEN: { status: 403, close: CLOSE_CODES.FORBIDDEN },
  NOT_FOUND: { status: 404 },
  SESSION_NOT_FOUND: { status: 404 },
  SKILL_NOT_FOUND: { status: 404 },
  DECISION_NOT_FOUND: { status: 409 },
  CHECKPOINT_NOT_FOUND: { status: 409 },
  NOT_SUBSCRIBED: { status: 409 },
  SESSION_EXISTS: { status: 409 },
  INVALID_STATE: { status: 409 },
  IDEMPOTENCY_CONFLICT: { status: 422 },
  RATE_LIMITED: { status: 429, close: CLOSE_CODES.RATE_LIMITED },
  LIMIT_EXCEEDED: { status: 429 },
  STORE_FAILED: { status: 503 },
  STORE_UNAVAILABLE: { status: 503 },
  CLIENT_NOT_BUILT: { status: 503 },
  SHUTTING_DOWN: { status: 503 },
  INTERNAL: { status: 500, close: CLOSE_CODES.INTERNAL_ERROR },
} as const satisfies Record<string, { status: number; close?: CloseCode }>;

/** A stable, documented error code (see docs/PROTOCOL.md). */
export type ErrorCode = keyof typeof ERROR_CODES;

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

  /** Creates an error with a code from {@linkcode ERROR_CODES} and a sentence-case message. */
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SwitchboardError";
    this.code = code;
  }

  /** The HTTP status this error maps to. */
  get status(): number {
    return ERROR_CODES[this.code].status;
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

/** The WebSocket close code an error ends a connection with, when it does. */
export function closeCodeFor(code: ErrorCode): CloseCode | undefined {
  const entry = ERROR_CODES[code];
  return "close" in entry ? entry.close : undefined;
}
