/**
 * @module The options of `io()`, their defaults, and how they become a connection URL and
 * reconnection settings. Checked at once: a bad option throws before anything connects.
 */
import type { ManagerOptions, WebSocketConstructor } from "./manager.ts";
import type { Role } from "./protocol.ts";

/**
 * Where to connect: a URL, or several (the nodes of one deployment, which differ only in host:
 * each new connection goes to the next, so a node that is gone is left behind at the first
 * reconnect), or a function returning one (called once up front, then before every connection;
 * e.g. a lookup in service discovery). Only the host changes between nodes: the path and query
 * of the first URL apply to all.
 */
export type SocketUrl = string | readonly string[] | (() => string);

/** Credentials or other data for the server's authentication. */
export type AuthData = { [key: string]: unknown };

/** Options of `io()`. */
export interface SocketOptions {
  /**
   * Query parameters of every connection. `session` (or `session_id`), `lastSeq`, `epoch` and
   * `events` describe the first session to follow; the client manages them from then on.
   */
  query?: Record<string, string | number | boolean>;
  /** The first session to follow (wins over `query.session`). */
  session?: string;
  /** The connection's role. @default "dashboard" (the server's default) */
  role?: Role;
  /**
   * Authentication data, or a function returning it (sync or async) that is called before every
   * connection and reconnection, so a refreshed token is always the one used. The result is
   * kept as `socket.auth`.
   */
  auth?: AuthData | (() => AuthData | Promise<AuthData>);
  /** Reconnect after a connection ends, unless the server's close code was final. @default true */
  reconnection?: boolean;
  /** Reconnection attempts before giving up (`reconnect_failed`). @default Infinity */
  reconnectionAttempts?: number;
  /** Delay before the first reconnection attempt, in ms; it doubles per attempt. @default 1000 */
  reconnectionDelay?: number;
  /** Longest delay between reconnection attempts, in ms. @default 5000 */
  reconnectionDelayMax?: number;
  /** Jitter, 0–1: each delay varies by up to ± this fraction. @default 0.5 */
  randomizationFactor?: number;
  /** Milliseconds to wait for the server's `connected` frame before an attempt fails. @default 20000 */
  timeout?: number;
  /** Milliseconds to wait for an ack before failing with `ACK_TIMEOUT`. @default 10000 */
  ackTimeout?: number;
  /** The WebSocket constructor, for runtimes without a global one. @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  /** Emits kept while offline and sent on reconnect; more fail with `BUFFER_FULL`. @default 100 */
  maxBufferedEmits?: number;
  /** Connect at once; otherwise call `connect()`. @default true */
  autoConnect?: boolean;
}

/** Options resolved to their final values. */
export interface ResolvedOptions extends ManagerOptions {
  /** The URL of the next connection, without resume points. */
  next: () => URL;
  /** The first session to follow, with its starting point. */
  session?: { id: string; lastSeq: number; epoch?: string; events?: string[] };
  auth: SocketOptions["auth"];
  ackTimeout: number;
  maxBufferedEmits: number;
}

/** The numeric options: default, and allowed range (0 means none where it makes sense). */
const NUMBERS = [
  ["reconnectionAttempts", Infinity, 0, Infinity],
  ["reconnectionDelay", 1000, 1, Infinity],
  ["reconnectionDelayMax", 5000, 1, Infinity],
  ["randomizationFactor", 0.5, 0, 1],
  ["timeout", 20_000, 1, Infinity],
  ["ackTimeout", 10_000, 1, Infinity],
  ["maxBufferedEmits", 100, 0, Infinity],
] as const;

/** Resolves `io(url, options)`; throws `TypeError` or `RangeError` for a bad option. */
export function resolveOptions(url: SocketUrl, options: SocketOptions): ResolvedOptions {
  const WebSocket = options.WebSocket ?? globalThis.WebSocket;
  if (typeof WebSocket !== "function") {
    throw new TypeError("No WebSocket: pass options.WebSocket");
  }
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const urls: string[] = typeof url == "function" ? [] : [url].flat();
  const nodeUrl = () => typeof url == "function" ? url() : (urls.push(urls.shift()!), urls.at(-1)!);
  const target = new URL(urls[0] ?? nodeUrl(), base);
  target.protocol = target.protocol.replace("http", "ws");
  if (!target.pathname.endsWith("/ws")) target.pathname = target.pathname.replace(/\/?$/, "/ws");
  const query: Record<string, string | number | boolean | undefined> = {
    batch: 1, // we read array frames: what the server queues within one turn comes as one frame
    ...Object.fromEntries(target.searchParams),
    ...options.query,
  };
  const { session, session_id, lastSeq, epoch, events, ...rest } = query;
  target.search = "";
  for (const [key, value] of Object.entries(rest)) target.searchParams.set(key, String(value));
  if (options.role) target.searchParams.set("role", options.role);
  const first = options.session ?? session ?? session_id;
  const resolved = {
    next() {
      const next = new URL(target);
      next.host = new URL(nodeUrl(), base).host; // each connection goes to the next node
      return next;
    },
    session: first === undefined ? undefined : {
      id: String(first),
      lastSeq: Number(lastSeq ?? 0),
      epoch: epoch === undefined ? undefined : String(epoch),
      events: events === undefined ? undefined : String(events).split(","),
    },
    auth: options.auth,
    reconnection: options.reconnection ?? true,
    WebSocket,
    renewAuth: typeof options.auth === "function",
  } as ResolvedOptions;
  for (const [key, fallback, min, max] of NUMBERS) {
    const value = resolved[key] = options[key] ?? fallback;
    if (!(value >= min && value <= max)) {
      throw new RangeError(`Option "${key}" not in ${min}..${max}: ${value}`);
    }
  }
  return resolved;
}
