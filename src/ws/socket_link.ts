/**
 * @module Deno's WebSocket adapted for the hub, as one object per socket: it is the hub's
 * transport and the single listener of the socket's events, which it hands to the socket's
 * SocketSession. One object instead of a transport literal with four accessors and four event
 * closures (each wrapped again by Deno): idle sockets are the bulk of a large server's memory.
 */
import type { Transport } from "../hub/transport.ts";
import { CLOSE_CODES, encodeError, SwitchboardError } from "../protocol/mod.ts";
import type { SocketSession } from "./socket_session.ts";

const encoder = new TextEncoder();
const EVENTS = ["open", "message", "close", "error"] as const;

/** Open sockets per client address, shared by every link of an endpoint. */
export type AddressCounts = Map<string, number>;

/** One upgraded socket: transport for the hub, listener of Deno's events. */
export class SocketLink implements Transport {
  readonly #socket: WebSocket;
  readonly #maxFrameBytes: number;
  readonly #counts: AddressCounts;
  readonly #address: string;
  /** What drives the socket; set once the request was valid. */
  session: SocketSession | undefined;
  /** Why the connect query was refused: sent once the socket opens, then it is closed. */
  refusal: SwitchboardError | undefined;
  #released = false;

  /** Counts the socket against `address` in `counts` until it closes, and listens to it. */
  constructor(
    socket: WebSocket,
    options: { maxFrameBytes: number; counts: AddressCounts; address: string },
  ) {
    this.#socket = socket;
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#counts = options.counts;
    this.#address = options.address;
    this.#counts.set(this.#address, (this.#counts.get(this.#address) ?? 0) + 1);
    for (const type of EVENTS) socket.addEventListener(type, this);
  }

  /** Queues a text frame. */
  send(frame: string): void {
    this.#socket.send(frame);
  }

  /** Closes with a code and reason. */
  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  /** Bytes queued but not yet written. */
  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  /** `true` while frames can be sent. */
  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /** The socket's events (EventListenerObject). */
  handleEvent(event: Event): void {
    switch (event.type) {
      case "open":
        return this.#opened();
      case "message":
        return this.#message((event as MessageEvent).data);
      default: // close, error
        return this.#release();
    }
  }

  #opened(): void {
    if (this.refusal === undefined) return this.session?.open();
    // Upgraded first, so a browser can read why: a refused handshake tells it nothing.
    this.send(encodeError(this.refusal.toBody()));
    this.close(CLOSE_CODES.INVALID_REQUEST, "Invalid connect query");
  }

  #message(data: unknown): void {
    if (typeof data !== "string") {
      const error = new SwitchboardError("INVALID_FRAME", "Binary frames are not supported");
      this.send(encodeError(error.toBody()));
      return;
    }
    if (exceedsBytes(data, this.#maxFrameBytes)) {
      const error = new SwitchboardError(
        "FRAME_TOO_LARGE",
        `Frame is larger than ${this.#maxFrameBytes} bytes`,
      );
      this.send(encodeError(error.toBody()));
      this.close(CLOSE_CODES.FRAME_TOO_LARGE, "Frame too large");
      return;
    }
    this.session?.message(data);
  }

  /** Closed or failed: once, give the address its slot back and end the session. */
  #release(): void {
    if (this.#released) return;
    this.#released = true;
    const left = (this.#counts.get(this.#address) ?? 1) - 1;
    if (left > 0) this.#counts.set(this.#address, left);
    else this.#counts.delete(this.#address);
    this.session?.closed();
  }
}

/** Whether `text` is over `max` UTF-8 bytes; encodes only when the cheap bounds can't tell. */
function exceedsBytes(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return encoder.encode(text).length > max;
}
