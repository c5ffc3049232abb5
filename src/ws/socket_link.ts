/**
 * @module Deno's WebSocket adapted for the hub, as one object per socket: it is the hub's
 * transport, the lifecycle's tracked socket and the single listener of the socket's events, which
 * it hands to the socket's SocketSession. One object instead of a transport literal with accessors
 * and event closures (each wrapped again by Deno): idle sockets are the bulk of a large server's
 * memory.
 */
import { HubCounters } from "../hub/counters.ts";
import type { Transport } from "../hub/transport.ts";
import type { Lifecycle, TrackedSocket } from "../lifecycle.ts";
import { CLOSE_CODES, encodeError, SwitchboardError } from "../protocol/mod.ts";
import { CloseLog } from "./close_log.ts";
import type { SocketSession } from "./socket_session.ts";
import { flushAtTurnEnd } from "./turn_flush.ts";

const encoder = new TextEncoder();
/** A batch this long leaves at once: array frames stay small, and so does the joined copy. */
const MAX_BATCH_CHARS = 64 * 1024;
const EVENTS = ["open", "message", "close", "error"] as const;

/** Open sockets per client address, shared by every link of an endpoint. */
export type AddressCounts = Map<string, number>;

/** What every link of an endpoint shares. */
export interface LinkOptions {
  /** Largest inbound frame in bytes. */
  maxFrameBytes: number;
  /** Open sockets per address. */
  counts: AddressCounts;
  /** The server's phase and open sockets. */
  lifecycle: Lifecycle;
  /** Where server-initiated closes are counted. */
  counters: HubCounters;
}

/** One upgraded socket: transport for the hub, listener of Deno's events. */
export class SocketLink implements Transport, TrackedSocket {
  readonly #socket: WebSocket;
  readonly #options: LinkOptions;
  readonly #address: string;
  readonly #closeLog: CloseLog;
  readonly #release: () => void;
  /** What drives the socket; set once the request was valid. */
  session: SocketSession | undefined;
  /** Why the connect query was refused: sent once the socket opens, then it is closed. */
  refusal: SwitchboardError | undefined;
  #closeOnOpen: { code: number; reason: string } | undefined;
  #released = false;
  /** Frames of this turn, when the client reads array frames (`batch=1`); else undefined. */
  #batch: string[] | undefined;
  /** Characters in `#batch`: counted as buffered, so the slow-consumer budget sees them. */
  #batchChars = 0;
  /** The socket's own buffered amount when last asked (asking is a call into Rust). */
  #socketBuffered = 0;

  /** Counts the socket against `address` until it closes, tracks it and listens to it. */
  constructor(socket: WebSocket, address: string, options: LinkOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#address = address;
    this.#closeLog = new CloseLog(address);
    options.counts.set(address, (options.counts.get(address) ?? 0) + 1);
    this.#release = options.lifecycle.track(this);
    for (const type of EVENTS) socket.addEventListener(type, this);
  }

  /**
   * From now on, frames queued within one event-loop turn leave as one array frame
   * (`[f1,f2,…]`; a lone frame goes as it is). The frames are already encoded once for every
   * subscriber: joining them copies bytes, and one WebSocket frame costs what one event did.
   */
  batchFrames(): void {
    this.#batch ??= [];
  }

  /** Queues a text frame. */
  send(frame: string): void {
    const batch = this.#batch;
    if (batch === undefined) return this.#socket.send(frame);
    if (batch.length === 0) flushAtTurnEnd(this);
    batch.push(frame);
    this.#batchChars += frame.length;
    if (this.#batchChars >= MAX_BATCH_CHARS) this.flush();
  }

  /** Sends the frames queued in this turn (see {@linkcode batchFrames}). */
  flush(): void {
    const batch = this.#batch;
    if (batch === undefined || batch.length === 0) return;
    const text = batch.length === 1 ? batch[0] : `[${batch.join(",")}]`;
    batch.length = 0;
    this.#batchChars = 0;
    if (this.#socket.readyState !== WebSocket.OPEN) return;
    try {
      this.#socket.send(text);
      this.#socketBuffered = this.#socket.bufferedAmount;
    } catch {
      // The socket failed under us: its close event ends the session. The other sockets
      // flushed in this turn must still get theirs, so nothing is thrown into the loop.
    }
  }

  /** Closes with a code and reason (once; logged and counted as the server's close). */
  close(code: number, reason: string): void {
    if (!this.#closeLog.serverClosing(code, this.session?.connection)) return;
    HubCounters.bump(this.#options.counters.closes, code);
    this.flush(); // what was said before the close goes before it
    const state = this.#socket.readyState;
    if (state === WebSocket.OPEN) this.#socket.close(code, reason);
    // Still connecting: closing now would throw, so close as soon as it opens.
    else if (state === WebSocket.CONNECTING) this.#closeOnOpen = { code, reason };
  }

  /**
   * Bytes queued but not yet written. While this turn's batch fills, the socket's part is the
   * one read at the last flush: one call into Rust per flush instead of one per frame.
   */
  get bufferedAmount(): number {
    if (this.#batchChars > 0) return this.#socketBuffered + this.#batchChars;
    return this.#socketBuffered = this.#socket.bufferedAmount;
  }

  /** `true` while frames can be sent. */
  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /** Frames received and not yet admitted into their session's order. */
  get backlog(): number {
    return this.session?.backlog ?? 0;
  }

  /** The socket's events (EventListenerObject). */
  handleEvent(event: Event): void {
    switch (event.type) {
      case "open":
        return this.#opened();
      case "message":
        return this.#message((event as MessageEvent).data);
      case "close":
        return this.#released ? undefined : this.#end((event as CloseEvent).code);
      default: // error
        return this.#released ? undefined : this.#end(1006);
    }
  }

  #opened(): void {
    if (this.#closeOnOpen) {
      return this.#socket.close(this.#closeOnOpen.code, this.#closeOnOpen.reason);
    }
    if (this.refusal === undefined) return this.session?.open();
    // Upgraded first, so a browser can read why: a refused handshake tells it nothing.
    this.send(encodeError(this.refusal.toBody()));
    this.close(CLOSE_CODES.INVALID_REQUEST, "Invalid connect query");
  }

  #message(data: unknown): void {
    // Shutting down: frames from now on are not admitted. Their acks never come (the client
    // fails them with DISCONNECTED at the 1012), so nothing unacknowledged is half-done.
    if (this.#options.lifecycle.draining) return;
    if (typeof data !== "string") {
      const error = new SwitchboardError("INVALID_FRAME", "Binary frames are not supported");
      this.send(encodeError(error.toBody()));
      return;
    }
    const max = this.#options.maxFrameBytes;
    if (exceedsBytes(data, max)) {
      const error = new SwitchboardError("FRAME_TOO_LARGE", `Frame is larger than ${max} bytes`);
      this.send(encodeError(error.toBody()));
      this.close(CLOSE_CODES.FRAME_TOO_LARGE, "Frame too large");
      return;
    }
    this.session?.message(data);
  }

  /** Closed or failed: once, log it, give the address its slot back and end the session. */
  #end(code: number): void {
    this.#released = true;
    this.#release();
    this.#closeLog.closed(this.session?.connection, code);
    const { counts } = this.#options;
    const left = (counts.get(this.#address) ?? 1) - 1;
    if (left > 0) counts.set(this.#address, left);
    else counts.delete(this.#address);
    this.session?.closed();
  }
}

/** Whether `text` is over `max` UTF-8 bytes; encodes only when the cheap bounds can't tell. */
function exceedsBytes(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return encoder.encode(text).length > max;
}
