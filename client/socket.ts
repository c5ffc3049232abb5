/**
 * @module The event API: typed `on`/`emit`, acks with timeouts, a bounded offline buffer, and
 * the session subscriptions that every (re)connection resumes from the last seq seen.
 */
import { Emitter } from "./_emitter.ts";
import { Listeners } from "./listeners.ts";
import { type Callback, Outbox } from "./_outbox.ts";
import { Subscriptions } from "./_subscriptions.ts";
import { Timers } from "./_timers.ts";
import { SwitchboardError } from "./errors.ts";
import type { Ack, DisconnectReason, EmitEvents, EventMeta } from "./events.ts";
import { Manager } from "./manager.ts";
import {
  type AuthData,
  type ResolvedOptions,
  resolveOptions,
  type SocketOptions,
  type SocketUrl,
} from "./options.ts";
import type { ErrorBody, JsonObject, SubscribeResult } from "./protocol.ts";

/** Names `emit()` refuses: the client's own events and the control frames it manages. */
const RESERVED = new Set(
  "connect disconnect connect_error reconnect_attempt reconnect reconnect_failed subscribe unsubscribe ping pong ack"
    .split(" "),
);

interface Frame extends EventMeta {
  id?: number;
  payload?: unknown;
}

function noop(): void {}

function failure(code: SwitchboardError["code"], message: string): SwitchboardError {
  return new SwitchboardError(code, message);
}

/** A connection to Switchboard that survives reconnects; created by `io()`. */
export class Socket extends Listeners {
  /** The server's id for the current connection; `undefined` while disconnected. */
  id: string | undefined;
  /** `true` once connected and every session resubscribed; emits go out at once. */
  connected = false;
  /** Whether the last (re)connection resumed every session without a gap. */
  recovered = false;
  /** The last round trip to the server in milliseconds (measured at each heartbeat). */
  latency: number | undefined;
  /** What the `auth` option gave for the current connection. */
  auth: AuthData | undefined;

  readonly #options: ResolvedOptions;
  readonly #emitter: Emitter;
  readonly #timers = new Timers();
  readonly #subscriptions: Subscriptions;
  readonly #manager: Manager;
  readonly #outbox: Outbox;
  #flags: { timeout?: number; volatile?: boolean; to?: string } = {};
  #open = false;

  /**
   * Creates a socket for `url` (`http(s)://` or `ws(s)://`; the `/ws` path is implied), or for
   * several nodes' URLs, tried in turn (see {@linkcode SocketUrl}).
   */
  constructor(url: SocketUrl, options: SocketOptions = {}) {
    const emitter = new Emitter();
    super(emitter);
    this.#emitter = emitter;
    const o = this.#options = resolveOptions(url, options);
    this.#manager = new Manager(o, {
      url: async () => {
        await this.#auth();
        const next = o.next();
        this.#subscriptions.query(next.searchParams);
        return next.href;
      },
      // Credentials go in the first frame, not the URL, which proxies and servers log.
      hello: () => this.auth && JSON.stringify({ event: "auth", payload: this.auth }),
      frame: (text) => this.#frame(text),
      close: (reason, code) => this.#closed(reason, code),
      emit: (event, ...args) => emitter.emit(event, args),
    }, this.#timers);
    this.#outbox = new Outbox((text) => this.#manager.send(text), this.#timers, o.maxBufferedEmits);
    this.#subscriptions = new Subscriptions(this.#outbox, (session, result) => {
      if (result) this.#dispatch({ event: "subscribed", session, payload: result });
      this.#ready();
    });
    if (o.session) this.#subscriptions.follow(o.session.id, o.session, false);
    if (options.autoConnect !== false) this.connect();
  }

  /** `true` while connected or trying to (re)connect. */
  get active(): boolean {
    return this.#manager.active;
  }

  /** The next emit fails with `ACK_TIMEOUT` if its ack takes longer than `ms`. */
  timeout(ms: number): this {
    this.#flags.timeout = ms;
    return this;
  }

  /** The next emit is dropped (its ack fails with `DISCONNECTED`) instead of buffered offline. */
  get volatile(): this {
    this.#flags.volatile = true;
    return this;
  }

  /** The next emit goes to `session` (by default: the one session followed, if only one). */
  to(session: string): this {
    this.#flags.to = session;
    return this;
  }

  /**
   * Sends an event; `ack(error, result)` is called with the server's answer. Offline, the emit
   * waits in a bounded buffer and goes out, in order, once reconnected.
   */
  emit<E extends keyof EmitEvents>(
    event: E,
    payload: EmitEvents[E][0],
    ack?: Ack<EmitEvents[E][1]>,
  ): this {
    if (RESERVED.has(event as string)) {
      throw new TypeError(`"${event as string}" is a reserved event name`);
    }
    const {
      timeout = this.#options.ackTimeout,
      volatile,
      to = this.#subscriptions.only(),
    } = this.#flags;
    this.#flags = {};
    const id = ack && this.#outbox.track(ack as Callback, timeout);
    const frame = { event, session: to, id, payload };
    if (this.connected) this.#outbox.send(frame);
    else if (volatile) {
      if (id) this.#outbox.settle(id, failure("DISCONNECTED", "Dropped offline"));
    } else if (!this.#outbox.queue(frame) && id) {
      const limit = this.#options.maxBufferedEmits;
      this.#outbox.settle(id, failure("BUFFER_FULL", `Offline buffer full (${limit})`));
    }
    return this;
  }

  /** Sends an event and resolves with its ack's result; rejects with a `SwitchboardError`. */
  emitWithAck<E extends keyof EmitEvents>(
    event: E,
    payload: EmitEvents[E][0],
  ): Promise<EmitEvents[E][1]> {
    return new Promise((resolve, reject) =>
      this.emit(event, payload, (error, result) => error ? reject(error) : resolve(result!))
    );
  }

  /** Measures a round trip to the server, in milliseconds (also kept as `latency`). */
  ping(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.#open) return reject(failure("DISCONNECTED", "Not connected"));
      const t = performance.now();
      const id = this.#outbox.track(
        (error) => error ? reject(error) : resolve(this.latency = performance.now() - t),
        this.#options.ackTimeout,
      );
      this.#outbox.send({ event: "ping", id, payload: { t } });
    });
  }

  /**
   * Follows `session`: replays after `lastSeq` (by default where the client stands), then live.
   * Resolves once the replay is done, now or after the next (re)connection.
   */
  subscribe(
    session: string,
    options: { lastSeq?: number; events?: string[] } = {},
  ): Promise<SubscribeResult> {
    return new Promise((resolve, reject) => {
      const before = this.#subscriptions.positions.get(session);
      this.#subscriptions.follow(session, {
        lastSeq: options.lastSeq ?? before?.lastSeq ?? 0,
        epoch: options.lastSeq === undefined ? before?.epoch : undefined,
        live: options.lastSeq === undefined && before?.live,
        events: options.events ?? before?.events,
        done: (error, result) => {
          before?.done?.(error, result);
          error ? reject(error) : resolve(result!);
        },
      }, this.#open);
    });
  }

  /** Stops following `session`. */
  unsubscribe(session: string): Promise<void> {
    this.#subscriptions.drop(session, failure("NOT_SUBSCRIBED", `Unsubscribed from "${session}"`));
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const id = this.#outbox.track(
        (error) => error ? reject(error) : resolve(),
        this.#options.ackTimeout,
      );
      this.#outbox.send({ event: "unsubscribe", session, id });
    });
  }

  /** Connects (again), unless connected or trying to. */
  connect(): this {
    this.#manager.open();
    return this;
  }

  /**
   * Closes the connection and stops reconnecting. Releases every timer and WebSocket handler;
   * pending acks fail with `DISCONNECTED`. Handlers and resume points are kept for `connect()`.
   */
  disconnect(): this {
    this.#manager.close();
    this.#timers.clear();
    const gone = failure("DISCONNECTED", "Disconnected");
    this.#outbox.fail(gone, true);
    this.#subscriptions.fail(gone);
    this.#closed("io client disconnect");
    return this;
  }

  #frame(text: string): void {
    let frames: Frame[];
    try {
      // `[f1,f2,…]`: the frames the server queued within one turn (we connect with `batch=1`).
      frames = [JSON.parse(text)].flat();
    } catch {
      return;
    }
    for (const frame of frames) this.#handle(frame);
  }

  #handle(frame: Frame): void {
    const { event, session, seq, id } = frame;
    const payload = frame.payload as JsonObject;
    switch (event) {
      case "ping":
        this.#outbox.send({ event: "pong", payload });
        this.ping().catch(() => {});
        return;
      case "pong":
      case "ack": {
        const error = payload.error as ErrorBody | undefined;
        return this.#outbox.settle(id!, error ? failure(error.code, error.message) : null, payload);
      }
      case "connected":
        this.id = payload.id as string;
        this.#open = true;
        this.#manager.opened(payload.heartbeatMs as number);
        this.#subscriptions.opened();
        break;
      case "subscribed":
        this.#subscriptions.settle(session!, payload as unknown as SubscribeResult);
        break;
      case "auth:expiring":
        // Renew in place: the server swaps the token without a reconnect.
        if (this.#options.renewAuth) {
          this.#auth().then(
            (payload) => this.#outbox.send({ event: "auth:refresh", payload }),
            noop,
          );
        }
        break;
      case "error":
        // Before `subscribed`, an error naming the URL's session is that subscription failing.
        if (this.#subscriptions.isUrlSubscription(session)) {
          const { code, message } = payload as unknown as ErrorBody;
          this.#subscriptions.drop(session!, failure(code, message));
        }
        break;
      case "session:deleted":
        this.#subscriptions.drop(session!, failure("SESSION_NOT_FOUND", "Session deleted"));
        break;
      default:
        if (typeof seq === "number" && !this.#subscriptions.seen(session!, seq)) return;
    }
    this.#dispatch(frame);
    this.#ready();
  }

  /** Calls the `auth` option (a function is called every time) and keeps the result. */
  async #auth(): Promise<AuthData | undefined> {
    const { auth } = this.#options;
    return this.auth = typeof auth === "function" ? await auth() : auth;
  }

  #dispatch(frame: Frame): void {
    const { event, session, seq, ts } = frame;
    const meta: EventMeta = { event, session, seq, ts };
    this.#emitter.emit(event, [frame.payload, meta], true);
  }

  /** Connected and every session subscribed: flush the offline buffer and say `connect`. */
  #ready(): void {
    if (!this.#open || this.connected || !this.#subscriptions.settled) return;
    this.connected = true;
    this.recovered = this.#subscriptions.recovered;
    this.#outbox.flush();
    this.#emitter.emit("connect", []);
  }

  /** The connection ended: acks of frames already sent can no longer be answered. */
  #closed(reason: DisconnectReason, code?: number): void {
    this.#open = false;
    this.#outbox.fail(failure("DISCONNECTED", "Connection lost"));
    if (!this.connected) return;
    this.connected = false;
    this.id = undefined;
    this.#emitter.emit("disconnect", [reason, code]);
  }
}
