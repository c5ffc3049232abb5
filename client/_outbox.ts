/**
 * @module Outbound frames: ids and acks with timeouts, and the bounded buffer that keeps emits
 * made while offline until the next connection.
 */
import type { Timers } from "./_timers.ts";
import { SwitchboardError } from "./errors.ts";
import type { JsonObject } from "./protocol.ts";

/** Receives an ack: an error, or the ack's fields without `ok`. */
export type Callback = (error: SwitchboardError | null, result?: JsonObject) => void;

interface Pending {
  callback: Callback;
  /** `false` while the frame waits in the offline buffer. */
  sent: boolean;
  stop?: () => void;
}

/** A frame the client sends. */
export interface OutFrame {
  event: string;
  session?: string;
  id?: number;
  payload?: unknown;
}

/** Sends frames, matches acks to their callbacks and buffers frames while offline. */
export class Outbox {
  readonly #send: (text: string) => void;
  readonly #timers: Timers;
  readonly #limit: number;
  readonly #pending = new Map<number, Pending>();
  #buffer: [text: string, id?: number][] = [];
  #nextId = 1;

  /** Sends with `send`; keeps at most `limit` frames while offline. */
  constructor(send: (text: string) => void, timers: Timers, limit: number) {
    this.#send = send;
    this.#timers = timers;
    this.#limit = limit;
  }

  /** Registers `callback` under a new id; fails it with `ACK_TIMEOUT` after `timeout` ms. */
  track(callback: Callback, timeout?: number): number {
    const id = this.#nextId++;
    const pending: Pending = { callback, sent: false };
    if (timeout !== undefined) {
      pending.stop = this.#timers.set(
        () => this.settle(id, new SwitchboardError("ACK_TIMEOUT", `No ack within ${timeout} ms`)),
        timeout,
      );
    }
    this.#pending.set(id, pending);
    return id;
  }

  /** Settles ack `id` with an error, or with the fields of its ack payload. */
  settle(id: number, error: SwitchboardError | null, payload?: JsonObject): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    pending.stop?.();
    if (error) return pending.callback(error);
    const { ok: _ok, ...result } = payload ?? {};
    pending.callback(null, result);
  }

  /** Sends `frame` now. */
  send(frame: OutFrame): void {
    this.#transmit(JSON.stringify(frame), frame.id);
  }

  /** Keeps `frame` for the next connection; `false` when the buffer is full. */
  queue(frame: OutFrame): boolean {
    if (this.#buffer.length >= this.#limit) return false;
    this.#buffer.push([JSON.stringify(frame), frame.id]);
    return true;
  }

  /** Sends the buffered frames in order. */
  flush(): void {
    for (const [text, id] of this.#buffer.splice(0)) {
      // A frame whose ack timed out while buffered was never sent, and now never will be.
      if (id === undefined || this.#pending.has(id)) this.#transmit(text, id);
    }
  }

  /** Fails the acks of frames already sent, or (`all`) every ack, and empties the buffer. */
  fail(error: SwitchboardError, all?: boolean): void {
    if (all) this.#buffer = [];
    for (const [id, pending] of [...this.#pending]) {
      if (all || pending.sent) this.settle(id, error);
    }
  }

  #transmit(text: string, id?: number): void {
    this.#send(text);
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (pending) pending.sent = true;
  }
}
