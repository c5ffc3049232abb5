/**
 * @module Turns hub frames into Server-Sent Events records. The hub hands every subscriber the
 * same frame string, so the last frame's record is cached: a fan-out to many SSE readers encodes
 * each event once, whatever their number.
 */

const SESSION_EVENT = /^\{"event":("(?:[^"\\]|\\.)*"),"session":"(?:[^"\\]|\\.)*","seq":(\d+),/;
const ANY_FRAME = /^\{"event":("(?:[^"\\]|\\.)*")/;
const encoder = new TextEncoder();

/** What the transport should do with a frame besides writing its record. */
export type FrameKind = "event" | "ping" | "deleted" | "other";

/** An encoded record and what kind of frame it came from. */
export interface SseRecord {
  /** The bytes to write; empty for frames SSE readers do not get (pings). */
  bytes: Uint8Array;
  /** The frame's kind. */
  kind: FrameKind;
  /** The ping's `t`, for pings. */
  t?: number;
}

/** Encodes `text` (one or more complete SSE lines) as bytes. */
export function sseBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Encodes frames as `id: <seq>` / `event: <name>` / `data: <frame JSON>` records (session
 * events) or `event:` / `data:` records (everything else), remembering the last one.
 */
export class SseEncoder {
  #lastFrame: string | undefined;
  #lastRecord: SseRecord | undefined;

  /** The record for `frame`; the same frame string twice in a row is encoded once. */
  encode(frame: string): SseRecord {
    if (frame === this.#lastFrame) return this.#lastRecord!;
    const record = encodeFrame(frame);
    this.#lastFrame = frame;
    this.#lastRecord = record;
    return record;
  }
}

function encodeFrame(frame: string): SseRecord {
  const event = SESSION_EVENT.exec(frame);
  if (event) {
    const text = `id: ${event[2]}\nevent: ${eventName(event[1])}\ndata: ${frame}\n\n`;
    return { bytes: encoder.encode(text), kind: "event" };
  }
  const name = eventName(ANY_FRAME.exec(frame)?.[1] ?? '"message"');
  if (name === "ping") {
    const t = (JSON.parse(frame) as { payload?: { t?: number } }).payload?.t;
    return { bytes: new Uint8Array(0), kind: "ping", t };
  }
  const kind = name === "session:deleted" ? "deleted" : "other";
  return { bytes: encoder.encode(`event: ${name}\ndata: ${frame}\n\n`), kind };
}

/** A JSON string literal's value, safe on one SSE line. */
function eventName(literal: string): string {
  return (JSON.parse(literal) as string).replace(/[\r\n]/g, " ");
}
