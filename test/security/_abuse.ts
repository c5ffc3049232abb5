/**
 * @module Helpers of the abuse tests: the documented code sets, checks that an answer is coded,
 * a stream-run assertion, connection counts from `/api/stats`, and a raw TCP WebSocket client
 * that can refuse to read (which Deno's own WebSocket cannot).
 */
import assert from "node:assert/strict";
import { CLOSE_CODES, ERROR_CODES as CODE_TABLE } from "../../src/protocol/mod.ts";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame, withTimeout } from "../_helpers.ts";

/** Every documented error code. */
export const ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(CODE_TABLE));

/** Every documented close code, plus 1011 which docs/PROTOCOL.md lists beside them. */
export const DOCUMENTED_CLOSE_CODES: ReadonlySet<number> = new Set([
  ...Object.values(CLOSE_CODES),
  1011,
]);

/** Frames the server may send that are not session events. */
export const CONTROL_FRAMES: ReadonlySet<string> = new Set([
  "ack",
  "error",
  "ping",
  "pong",
  "connected",
  "subscribed",
  "command:result",
  "presence",
  "session:deleted",
  "auth:expiring",
]);

/** Asserts `body` is `{code, message}` with a documented code that is not `INTERNAL` (a bug). */
export function assertCodedError(body: unknown, context: string): void {
  const error = body as { code?: unknown; message?: unknown } | null;
  assert.ok(
    typeof error?.code === "string" && ERROR_CODES.has(error.code),
    `${context}: undocumented error code in ${JSON.stringify(body)}`,
  );
  assert.notEqual(error.code, "INTERNAL", `${context}: the server hit a bug`);
  assert.equal(typeof error.message, "string", `${context}: error without a message`);
}

/** Checks one server frame: a known kind, and a coded error wherever it reports a failure. */
export function assertWellFormedAnswer(frame: Frame, context: string): void {
  if (typeof frame.seq === "number") {
    assert.equal(typeof frame.session, "string", `${context}: session event without a session`);
    return;
  }
  assert.ok(
    CONTROL_FRAMES.has(frame.event),
    `${context}: unexpected frame ${JSON.stringify(frame)}`,
  );
  if (frame.event === "error") assertCodedError(frame.payload, context);
  if (frame.event === "ack") {
    assert.equal(typeof frame.payload?.ok, "boolean", `${context}: ack without ok`);
    if (frame.payload.ok === false) assertCodedError(frame.payload.error, context);
  }
  if (frame.event === "command:result" && frame.payload?.success === false) {
    assertCodedError(frame.payload.error, context);
  }
}

/** Asserts `events` carry exactly the seqs `from..to` in order, naming what is off otherwise. */
export function assertSeqRun(events: readonly Frame[], from: number, to: number, who: string) {
  const seqs = events.map((f) => f.seq as number);
  const bad = seqs.findIndex((seq, i) => seq !== from + i);
  if (bad === -1 && seqs.length === to - from + 1) return;
  assert.fail(
    `${who}: expected seqs ${from}..${to}, got ${seqs.length} events, first off at index ` +
      `${bad} (${JSON.stringify(seqs.slice(Math.max(0, bad - 2), bad + 3))})`,
  );
}

/** Open connections the hub counts, from `GET /api/stats`. */
export async function connectionTotal(server: RunningServer): Promise<number> {
  const res = await api(server, "GET", "/api/stats");
  assert.equal(res.status, 200);
  return res.body.connections.total;
}

/** Asserts `GET /health` answers 200 "healthy". */
export async function assertHealthy(server: RunningServer): Promise<void> {
  const res = await api(server, "GET", "/health");
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "healthy");
}

/** A frame a raw client read: opcode, payload text, and the close code of a close frame. */
export interface RawFrame {
  opcode: number;
  text: string;
  closeCode?: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The HTTP answer to a hand-made upgrade request. */
export interface RawUpgrade {
  /** HTTP status: 101 when upgraded. */
  status: number;
  /** The response body (refusals carry a JSON error body). */
  body: string;
  /** The connection, still open; bytes after the headers are kept for {@linkcode readFrames}. */
  socket: RawSocket;
}

/** A WebSocket over a bare TCP connection: it reads only when told to. */
export class RawSocket {
  readonly #conn: Deno.TcpConn;
  #pending: Uint8Array;
  #closed = false;

  private constructor(conn: Deno.TcpConn, pending: Uint8Array) {
    this.#conn = conn;
    this.#pending = pending;
  }

  /** Sends a hand-written upgrade request for `path` and reads only the response head. */
  static async upgrade(
    server: RunningServer,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<RawUpgrade> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await writeAll(
      conn,
      encoder.encode(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
          Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("") +
          "\r\n",
      ),
    );
    const socket = new RawSocket(conn, new Uint8Array(0));
    const head = await socket.#readHead();
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    let body = "";
    if (status !== 101 && length > 0) body = decoder.decode(await socket.#take(length));
    return { status, body, socket };
  }

  /** Reads frames until `stop` accepts one or `maxBytes` were read; returns them all. */
  async readFrames(stop: (frame: RawFrame) => boolean, maxBytes: number): Promise<RawFrame[]> {
    const frames: RawFrame[] = [];
    let read = 0;
    while (read < maxBytes) {
      const [b0, b1] = await this.#take(2);
      let length = b1 & 0x7f;
      if (length === 126) length = new DataView((await this.#take(2)).buffer).getUint16(0);
      else if (length === 127) {
        length = Number(new DataView((await this.#take(8)).buffer).getBigUint64(0));
      }
      assert.equal(b1 & 0x80, 0, "Server frames must not be masked");
      const payload = await this.#take(length);
      read += length + 2;
      const opcode = b0 & 0x0f;
      const frame: RawFrame = opcode === 8
        ? {
          opcode,
          text: decoder.decode(payload.subarray(2)),
          closeCode: new DataView(payload.buffer, payload.byteOffset).getUint16(0),
        }
        : { opcode, text: decoder.decode(payload) };
      frames.push(frame);
      if (stop(frame)) return frames;
    }
    throw new Error(`No expected frame within ${maxBytes} bytes`);
  }

  /** Closes the TCP connection (once); the server sees the peer vanish. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#conn.close();
  }

  async #readHead(): Promise<string> {
    while (true) {
      const end = indexOfHeadEnd(this.#pending);
      if (end >= 0) return decoder.decode(await this.#take(end + 4));
      if (this.#pending.length > 16_384) throw new Error("Response head too long");
      await this.#fill();
    }
  }

  /** Exactly `n` bytes, reading as needed. */
  async #take(n: number): Promise<Uint8Array> {
    while (this.#pending.length < n) await this.#fill();
    const out = this.#pending.slice(0, n);
    this.#pending = this.#pending.slice(n);
    return out;
  }

  async #fill(): Promise<void> {
    const chunk = new Uint8Array(65_536);
    const n = await withTimeout(this.#conn.read(chunk), 10_000, "raw socket data");
    if (n === null) throw new Error("Connection closed by the server");
    const merged = new Uint8Array(this.#pending.length + n);
    merged.set(this.#pending);
    merged.set(chunk.subarray(0, n), this.#pending.length);
    this.#pending = merged;
  }
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
