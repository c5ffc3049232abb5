/**
 * @module Helpers for the client tests: a WebSocket that reports when it is really closed, event
 * recorders and waits with deadlines (deadlines only turn a hang into a failure; no test asserts
 * on timing).
 */
import {
  io,
  type ListenEvents,
  type Socket,
  type SocketOptions,
  type SocketUrl,
} from "../../client/mod.ts";

/** Every WebSocket the tests' clients open, so a test can wait until all have closed. */
const opened = new Set<WebSocket>();

/**
 * The platform WebSocket, tracked: passed as the `WebSocket` option so a test can await the end
 * of every closing handshake and leave no resource behind.
 */
class TrackedWebSocket extends WebSocket {
  /** Opens a tracked WebSocket. */
  constructor(url: string) {
    super(url);
    opened.add(this);
    this.addEventListener("close", () => opened.delete(this));
  }
}

/** Resolves once every tracked WebSocket has closed. */
function allClosed(timeoutMs = 5000): Promise<void> {
  return waitFor(() => opened.size === 0, "every client WebSocket to close", timeoutMs);
}

/** Creates a client with test-friendly defaults: tracked sockets, short reconnection delays. */
export function client(url: SocketUrl, options: SocketOptions = {}): Socket {
  return io(url, {
    WebSocket: TrackedWebSocket,
    reconnectionDelay: 20,
    reconnectionDelayMax: 100,
    ...options,
  });
}

/** Polls `check` every 5 ms until it is true; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the arguments of the next `event` on `socket`; rejects after `timeoutMs`. */
export function next<E extends keyof ListenEvents>(
  socket: Socket,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ListenEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`Timed out waiting for "${event}"`));
    }, timeoutMs);
    const handler = (...args: Parameters<ListenEvents[E]>) => {
      clearTimeout(timer);
      off();
      resolve(args);
    };
    const off = socket.on(event, handler as unknown as ListenEvents[E]);
  });
}

/** A session event as a handler saw it. */
export interface Seen {
  event: string;
  session: string;
  seq: number;
  payload: Record<string, unknown>;
}

/** Records every session event (frames with a seq) `socket` receives, in order. */
export function recordEvents(socket: Socket): Seen[] {
  const seen: Seen[] = [];
  socket.onAny((event, payload, meta) => {
    if (meta.seq !== undefined) {
      seen.push({
        event,
        session: meta.session!,
        seq: meta.seq,
        payload: payload as Record<string, unknown>,
      });
    }
  });
  return seen;
}

/** Disconnects the sockets and waits for their WebSockets to finish closing. */
export async function closeAll(...sockets: Socket[]): Promise<void> {
  for (const socket of sockets) socket.disconnect();
  await allClosed();
}

/** Node's flags for a global WebSocket: Node 22 has one, Node 20 needs `--experimental-websocket`. */
export async function nodeWebSocketFlags(): Promise<string[]> {
  const { stdout } = await new Deno.Command("node", { args: ["--version"] }).output();
  const major = Number(/^v(\d+)/.exec(new TextDecoder().decode(stdout))?.[1]);
  return major < 22 ? ["--experimental-websocket"] : [];
}

/** Launch options for Debian's Chromium (never a downloaded browser), headless. */
/**
 * Browser tests need Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Where
 * it is missing they are ignored, loudly, rather than failing a fresh checkout's test run.
 */
export const BROWSER_TEST = (() => {
  try {
    Deno.statSync("/usr/bin/chromium");
    return { ignore: false };
  } catch {
    console.warn("Browser tests ignored: /usr/bin/chromium is missing (apt-get install chromium)");
    return { ignore: true };
  }
})();

export const CHROMIUM = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
