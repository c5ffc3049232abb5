/**
 * @module The fuzzing client: renders blueprints with fresh ids, works out what each frame is
 * owed by the protocol's rules, sends a batch and checks every answer the batch got.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { TestSocket, waitFor } from "../_helpers.ts";
import { assertWellFormedAnswer, DOCUMENTED_CLOSE_CODES } from "./_abuse.ts";
import { type Blueprint, render } from "./_fuzz_frames.ts";

/** What a frame is owed, by the protocol's rules (docs/PROTOCOL.md, "Requests, acks and errors"). */
type Expectation =
  /** One ack (or, for a valid ping, a pong) carrying the id; a pong may get none. */
  | { kind: "answer"; key: string; optional: boolean }
  /** No usable id: an error frame, certainly when it fails before routing, else maybe. */
  | { kind: "error"; certain: boolean };

/** Reads what the server owes the frame `text`; `key` is the id as JSON. */
function expectationOf(text: string): Expectation {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: "error", certain: true };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { kind: "error", certain: true };
  }
  const frame = raw as Record<string, unknown>;
  const id = frame.id;
  const validId = Number.isSafeInteger(id) ||
    (typeof id === "string" && id.length >= 1 && id.length <= 64);
  if (validId) {
    return { kind: "answer", key: JSON.stringify(id), optional: frame.event === "pong" };
  }
  const validEvent = typeof frame.event === "string" && /^\S+$/.test(frame.event);
  return { kind: "error", certain: Object.hasOwn(frame, "id") || !validEvent };
}

/** One fuzzing connection: sends a batch, then checks every answer the batch is owed. */
export class Fuzzer {
  /** Frames sent so far. */
  sent = 0;
  /** Close codes of the sockets the server closed (each is replaced by a new one). */
  readonly closeCodes: number[] = [];
  readonly #server: RunningServer;
  readonly #query: string;
  readonly #tag: string;
  readonly #retired: TestSocket[] = [];
  #socket: TestSocket;
  #ids = 0;

  private constructor(server: RunningServer, query: string, tag: string, socket: TestSocket) {
    this.#server = server;
    this.#query = query;
    this.#tag = tag;
    this.#socket = socket;
  }

  /** Connects with `query`; `tag` names the fuzzer in ids and failure messages. */
  static async open(server: RunningServer, query: string, tag: string): Promise<Fuzzer> {
    return new Fuzzer(server, query, tag, await TestSocket.open(server, query));
  }

  /** Sends `batch` and asserts that every answer it is owed arrived, and nothing else. */
  async run(batch: readonly Blueprint[]): Promise<void> {
    if (!this.#socket.isOpen) {
      this.#retired.push(this.#socket);
      this.#socket = await TestSocket.open(this.#server, this.#query);
    }
    const socket = this.#socket;
    const mark = socket.mark();
    const owed = new Map<string, { min: number; max: number; texts: string[] }>();
    let certainErrors = 0;
    let maybeErrors = 0;
    for (const blueprint of batch) {
      // Fresh ids alternate between the two valid forms, and never repeat on a socket.
      const text = render(
        blueprint,
        () => ++this.#ids % 2 ? 1_000_000 + this.#ids : `${this.#tag}-${this.#ids}`,
      );
      const expected = expectationOf(text);
      if (expected.kind === "answer") {
        const entry = owed.get(expected.key) ?? { min: 0, max: 0, texts: [] };
        entry.max++;
        if (!expected.optional) entry.min++;
        entry.texts.push(text);
        owed.set(expected.key, entry);
      } else if (expected.certain) certainErrors++;
      else maybeErrors++;
      socket.send(text);
    }
    this.sent += batch.length;

    const answers = () => {
      const counts = new Map<string, number>();
      for (const f of socket.frames.slice(mark)) {
        if (f.id === undefined || (f.event !== "ack" && f.event !== "pong")) continue;
        const key = JSON.stringify(f.id);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    };
    const unanswered = () => [...owed].filter(([key, { min }]) => (answers().get(key) ?? 0) < min);
    await waitFor(() => !socket.isOpen || unanswered().length === 0 || undefined, "acks", 10_000)
      .catch(() => {
        const [key, { texts }] = unanswered()[0];
        assert.fail(`${this.#tag}: no answer for id ${key}, sent as ${clip(texts[0])}`);
      });
    // Answers to frames without an id may still be on their way. The server handles a frame
    // to the end (the memory store answers in microtasks) before it reads the network again,
    // so a ping sent only now is answered after all of them.
    const barrier = `${this.#tag}-barrier-${this.#ids}`;
    if (socket.isOpen) {
      socket.send({ event: "ping", id: barrier, payload: { t: 0 } });
      await waitFor(
        () => !socket.isOpen || socket.frames.some((f) => f.id === barrier) || undefined,
        "barrier",
      );
    }
    const received = socket.frames.slice(mark);
    for (const frame of received) {
      assertWellFormedAnswer(frame, `${this.#tag}: ${clip(JSON.stringify(frame))}`);
    }
    if (!socket.isOpen) {
      const { code } = await socket.closed();
      this.closeCodes.push(code);
      assert.ok(DOCUMENTED_CLOSE_CODES.has(code), `${this.#tag}: undocumented close code ${code}`);
      return; // the rest of the batch was never read, so it owes nothing
    }
    const counts = answers();
    for (const [key, count] of counts) {
      if (key === JSON.stringify(barrier)) continue;
      const entry = owed.get(key);
      assert.ok(entry, `${this.#tag}: an answer for id ${key}, which no frame carried`);
      assert.ok(count <= entry.max, `${this.#tag}: ${count} answers for ${clip(entry.texts[0])}`);
    }
    // A frame without an id that cannot be valid must earn an error frame; one that fails
    // only on the server's state (a publish this role may not make, say) may or may not.
    const errors = received.filter((f) => f.event === "error").length;
    assert.ok(
      errors >= certainErrors && errors <= certainErrors + maybeErrors,
      `${this.#tag}: ${errors} error frames for ${certainErrors} failing frames without an id ` +
        `and ${maybeErrors} that may fail`,
    );
  }

  /** Closes every socket this fuzzer opened. */
  async close(): Promise<void> {
    await Promise.all([...this.#retired, this.#socket].map((s) => s.close()));
  }
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}
