/**
 * @module A Server-Sent Events reader for tests: opens a stream with `fetch`, parses records as
 * the EventSource spec does, and waits for the ones a test needs.
 */
import { withTimeout } from "../_helpers.ts";

/** One parsed record. */
export interface SseRecord {
  /** `id:` field, if any. */
  id?: string;
  /** `event:` field, `message` by default. */
  event: string;
  /** `data:` lines joined by newlines. */
  data: string;
}

/** A stream being read. */
export class SseReader {
  /** Every record received, in order. */
  readonly records: SseRecord[] = [];
  /** Comment lines received (without the colon). */
  readonly comments: string[] = [];
  /** `retry:` values received. */
  readonly retries: number[] = [];
  /** The response. */
  readonly response: Response;
  readonly #done: Promise<void>;
  readonly #abort: AbortController;
  #ended = false;

  private constructor(response: Response, abort: AbortController) {
    this.response = response;
    this.#abort = abort;
    this.#done = this.#read().catch(() => {}).finally(() => this.#ended = true);
  }

  /** Opens `url` with `headers`; resolves once the response headers arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const abort = new AbortController();
    const response = await fetch(url, { headers, signal: abort.signal });
    return new SseReader(response, abort);
  }

  /** Session event records (with an id), parsed. */
  // deno-lint-ignore no-explicit-any
  get events(): { seq: number; event: string; frame: Record<string, any> }[] {
    return this.records.filter((r) => r.id !== undefined).map((r) => ({
      seq: Number(r.id),
      event: r.event,
      frame: JSON.parse(r.data),
    }));
  }

  /** `true` once the server ended the stream. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Waits until `check` holds for the records; rejects after `timeoutMs`. */
  async until(check: (records: SseRecord[]) => boolean, what: string, timeoutMs = 5000) {
    await withTimeout(
      (async () => {
        while (!check(this.records)) {
          if (this.#ended) throw new Error(`Stream ended before ${what}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      })(),
      timeoutMs,
      what,
    );
  }

  /** Resolves when the server ends the stream. */
  closed(timeoutMs = 5000): Promise<void> {
    return withTimeout(this.#done, timeoutMs, "the stream to end");
  }

  /** Stops reading and waits for the body to be released. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  async #read(): Promise<void> {
    if (!this.response.body) return;
    const lines = this.response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let record: { id?: string; event?: string; data: string[] } = { data: [] };
    for (;;) {
      const { value, done } = await lines.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line === "") {
          if (record.data.length > 0 || record.event !== undefined) {
            this.records.push({
              ...(record.id === undefined ? {} : { id: record.id }),
              event: record.event ?? "message",
              data: record.data.join("\n"),
            });
          }
          record = { data: [] };
        } else if (line.startsWith(":")) {
          this.comments.push(line.slice(1).trim());
        } else {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") record.id = value;
          else if (field === "event") record.event = value;
          else if (field === "data") record.data.push(value);
          else if (field === "retry") this.retries.push(Number(value));
        }
      }
    }
  }
}
