/**
 * @module A hub {@linkcode Transport} whose frames become Server-Sent Events records in a
 * response body stream. Queued bytes count as `bufferedAmount`, so a reader that stops reading
 * is closed as a slow consumer exactly like a WebSocket one. Records written in one turn of the
 * event loop (a replay batch, a multi-event publish) go out as one chunk: one write, not one per
 * record.
 */
import type { Transport } from "../hub/transport.ts";
import { sseBytes, type SseEncoder } from "./encoder.ts";

/** What the transport tells its owner. */
export interface SseTransportOptions {
  /** The shared encoder (one per app: one encode per event for all readers). */
  encoder: SseEncoder;
  /** A heartbeat ping arrived: the stream is alive as long as writes succeed, so answer it. */
  onPing: (t: number) => void;
  /** The stream ended: closed by the hub or by itself, or the reader went away. */
  onEnd: () => void;
}

/** SSE over a `ReadableStream<Uint8Array>`, the body of the response. */
export class SseTransport implements Transport {
  /** The metrics and logs label. */
  readonly kind = "sse";
  /** The response body. */
  readonly readable: ReadableStream<Uint8Array>;
  readonly #options: SseTransportOptions;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #open = true;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  /** Creates the body stream; write the opening records with {@linkcode write}. */
  constructor(options: SseTransportOptions) {
    this.#options = options;
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => this.cancel(),
    }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });
  }

  /** The reader went away: stop, and tell the owner (no `close` record: nobody reads it). */
  cancel(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#options.onEnd();
  }

  /** Writes raw SSE text (comments, `retry:`, records the edge builds itself). */
  write(text: string | Uint8Array): void {
    if (!this.#open) return;
    this.#queue(typeof text === "string" ? sseBytes(text) : text);
  }

  send(frame: string): void {
    if (!this.#open) return;
    const record = this.#options.encoder.encode(frame);
    if (record.kind === "ping") {
      if (record.t !== undefined) this.#options.onPing(record.t);
      return;
    }
    this.#queue(record.bytes);
    // The session is gone: end the stream rather than leave the reader waiting forever.
    if (record.kind === "deleted") this.close(1000, "Session deleted");
  }

  /** Ends the stream with a last `close` record naming the WebSocket-style code and reason. */
  close(code: number, reason: string): void {
    if (!this.#open) return;
    this.#queue(sseBytes(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`));
    this.#flush();
    this.#open = false;
    try {
      this.#controller.close();
    } catch {
      // The response was already errored or cancelled by the runtime: nothing left to end.
    }
    this.#options.onEnd();
  }

  get bufferedAmount(): number {
    // With a high-water mark of 0, desiredSize is minus the bytes queued and not yet read.
    if (!this.#open) return 0;
    return this.#pendingBytes + Math.max(0, -(this.#controller.desiredSize ?? 0));
  }

  #queue(bytes: Uint8Array): void {
    if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.byteLength;
  }

  #flush(): void {
    const pending = this.#pending;
    if (pending.length === 0 || !this.#open) return;
    this.#pending = [];
    const size = this.#pendingBytes;
    this.#pendingBytes = 0;
    let chunk = pending[0];
    if (pending.length > 1) {
      chunk = new Uint8Array(size);
      let offset = 0;
      for (const bytes of pending) {
        chunk.set(bytes, offset);
        offset += bytes.byteLength;
      }
    }
    try {
      this.#controller.enqueue(chunk);
    } catch {
      // The runtime ended the response (the reader hung up) before telling us: treat it so.
      this.cancel();
    }
  }

  get isOpen(): boolean {
    return this.#open;
  }
}
