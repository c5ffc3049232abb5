/**
 * @module Builds outbound frames as strings. Session events are encoded once and the same string
 * goes to every subscriber; the payload JSON is produced once at publish time and reused.
 */
import type { ErrorBody } from "./errors.ts";
import type { RequestId } from "./envelope.ts";

/** A session event as the store keeps it: the payload is already JSON text. */
export interface StoredEvent {
  /** Position in the session stream, from 1. */
  seq: number;
  /** Event name. */
  event: string;
  /** Payload as JSON text. */
  data: string;
  /** Server time of the append, milliseconds since the epoch. */
  ts: number;
}

/** Encodes a session event frame `{event, session, seq, payload, ts}`. */
export function encodeSessionEvent(session: string, stored: StoredEvent): string {
  return `{"event":${JSON.stringify(stored.event)},"session":${
    JSON.stringify(session)
  },"seq":${stored.seq},"payload":${stored.data},"ts":${stored.ts}}`;
}

/** Encodes a frame that is not part of a session stream (no seq). */
export function encodeFrame(
  event: string,
  payload: unknown,
  extra?: { session?: string; id?: RequestId; ts?: number },
): string {
  return JSON.stringify({ event, ...extra, payload });
}

/** Encodes a successful ack for request `id`. */
export function encodeAck(id: RequestId, result: Record<string, unknown> = {}): string {
  return JSON.stringify({ event: "ack", id, payload: { ok: true, ...result } });
}

/** Encodes a failed ack for request `id`. */
export function encodeNack(id: RequestId, error: ErrorBody): string {
  return JSON.stringify({ event: "ack", id, payload: { ok: false, error } });
}

/** Encodes an `error` frame for a failing request that had no id. */
export function encodeError(error: ErrorBody, session?: string): string {
  return JSON.stringify({ event: "error", session, payload: error });
}
