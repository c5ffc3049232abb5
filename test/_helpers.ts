/**
 * @module Test helpers: a real server on port 0 and a raw WebSocket test client that records
 * every frame, answers heartbeats and waits for frames by predicate.
 */
import {
  type ConfigInput,
  type RunningServer,
  type StartOptions,
  startServer,
} from "../src/mod.ts";

/** A frame as received (parsed JSON). */
// deno-lint-ignore no-explicit-any
export type Frame = Record<string, any>;

/**
 * Starts a server on 127.0.0.1:0 with the memory store, a long heartbeat and only error logs
 * unless told otherwise; `options` can inject a store of the test's own.
 */
export function startTestServer(
  config: ConfigInput = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  return startServer(
    {
      port: 0,
      host: "127.0.0.1",
      heartbeatMs: 60_000,
      store: "memory",
      logLevel: "error",
      ...config,
    },
    options,
  );
}

/** Options of {@linkcode TestSocket.open}. */
export interface TestSocketOptions {
  /** Answer server pings automatically. @default true */
  autoPong?: boolean;
  /** Headers of the upgrade request (e.g. `X-Forwarded-For`). @default none */
  headers?: Record<string, string>;
}

/** A raw WebSocket client for tests: keeps every frame and waits for the ones it needs. */
export class TestSocket {
  /** Every frame received, in order. */
  readonly frames: Frame[] = [];
  /** The close event, once closed. */
  closeEvent: CloseEvent | undefined;
  readonly #ws: WebSocket;
  readonly #closed: Promise<CloseEvent>;
  #waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void; from: number }[] = [];
  #nextId = 1;

  private constructor(ws: WebSocket, options: TestSocketOptions) {
    this.#ws = ws;
    this.#closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        this.closeEvent = event;
        resolve(event);
      });
    });
    ws.addEventListener("message", (message) => {
      const frame = JSON.parse(message.data as string) as Frame;
      this.frames.push(frame);
      if (frame.event === "ping" && options.autoPong !== false && frame.id === undefined) {
        this.send({ event: "pong", payload: { t: frame.payload.t } });
      }
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  /** Connects to `server` with a query such as `?session=s&role=dashboard`; resolves on `connected`. */
  static async open(
    server: RunningServer,
    query = "",
    options: TestSocketOptions = {},
  ): Promise<TestSocket> {
    const ws = webSocket(`${server.url.replace("http", "ws")}/ws${query}`, options.headers);
    const socket = new TestSocket(ws, options);
    await socket.next((f) => f.event === "connected");
    return socket;
  }

  /**
   * Connects without waiting for `connected` (for authentication tests); resolves once the
   * socket is open, or rejects if it closes first. `headers` go with the upgrade request.
   */
  static async openRaw(
    server: RunningServer,
    query = "",
    options: TestSocketOptions = {},
  ): Promise<TestSocket> {
    const ws = webSocket(`${server.url.replace("http", "ws")}/ws${query}`, options.headers);
    const socket = new TestSocket(ws, options);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("close", () => reject(new Error("Closed before opening")), {
        once: true,
      });
    });
    return socket;
  }

  /** Sends a frame (an object is JSON-encoded; a string goes as is). */
  send(frame: Frame | string): void {
    this.#ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Sends a binary frame (the server accepts text frames only). */
  sendBinary(bytes: Uint8Array): void {
    this.#ws.send(bytes);
  }

  /** `true` while the socket is open. */
  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** The index the next received frame will have; pass it to {@linkcode nextFrom}. */
  mark(): number {
    return this.frames.length;
  }

  /** Resolves with the first frame at index `from` or later (received or future) matching `match`. */
  nextFrom(from: number, match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return this.#wait(match, timeoutMs);
  }

  /** Sends a frame with a fresh id and resolves with its ack payload. */
  async request(frame: Frame, timeoutMs = 5000): Promise<Frame> {
    const id = this.#nextId++;
    this.send({ ...frame, id });
    const ack = await this.next((f) => f.event === "ack" && f.id === id, timeoutMs);
    return ack.payload;
  }

  /** Resolves with the first frame (already received or future) matching `match`. */
  next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return this.#wait(match, timeoutMs);
  }

  /** Resolves with the first frame from now on matching `match`. */
  nextNew(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return this.#wait(match, timeoutMs);
  }

  /** Session events (frames with a seq) received for `session`. */
  events(session: string): Frame[] {
    return this.frames.filter((f) => f.session === session && typeof f.seq === "number");
  }

  /** Waits until `count` session events of `session` arrived. */
  async waitForEvents(session: string, count: number, timeoutMs = 5000): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events(session).length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out: ${this.events(session).length}/${count} events of "${session}"`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.events(session);
  }

  /** Resolves when the server closes the socket. */
  closed(timeoutMs = 5000): Promise<CloseEvent> {
    return withTimeout(this.#closed, timeoutMs, "socket close");
  }

  /** Closes the socket and waits for the close to complete. */
  async close(): Promise<void> {
    if (this.#ws.readyState !== WebSocket.CLOSED) this.#ws.close();
    await this.#closed;
  }

  #wait(match: (f: Frame) => boolean, timeoutMs: number): Promise<Frame> {
    return withTimeout(
      new Promise<Frame>((resolve) =>
        this.#waiters.push({ match, resolve, from: this.frames.length })
      ),
      timeoutMs,
      `frame matching ${match}`,
    );
  }
}

/** Opens a WebSocket, with request headers when given (Deno takes them as a second argument). */
function webSocket(url: string, headers?: Record<string, string>): WebSocket {
  if (!headers) return new WebSocket(url);
  type WithHeaders = new (url: string, init: { headers: Record<string, string> }) => WebSocket;
  return new (WebSocket as unknown as WithHeaders)(url, { headers });
}

/** Rejects if `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value other than `undefined`; rejects after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Calls the server's REST API and returns status and parsed body. */
export async function api(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Frame }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
