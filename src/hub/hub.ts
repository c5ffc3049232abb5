/**
 * @module The hub: sessions, connections and the operations the edges call. Pure: no Deno, no
 * Hono; the store, clock and sockets are injected.
 */
import type { Command, CommandResult } from "../protocol/commands.ts";
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import type { Role } from "../protocol/envelope.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { compileFilter } from "../protocol/filter.ts";
import type { StoredEvent } from "../protocol/encode.ts";
import type { Store } from "../store/store.ts";
import { type Activity, ActivityMeter } from "./activity.ts";
import { acrossNodes, type ClusterStats, clusterStats } from "./cluster_view.ts";
import { Connection } from "./connection.ts";
import { Heartbeat } from "./heartbeat.ts";
import type { SubscribeResult } from "./session.ts";
import type { ValidEvent } from "../protocol/parse.ts";
import { SessionDirectory } from "./session_directory.ts";
import { type Queued, queued } from "./queued.ts";
import { describeSession, type SessionInfo, type SessionSummary, summarize } from "./describe.ts";
import {
  collectGauges,
  collectStats,
  type HubGauges,
  type HubStats,
  type TrafficTotals,
} from "./stats.ts";
import { authorize } from "./access.ts";
import { type Actor, developmentPrincipal, mayAccess, type Principal } from "../auth/identity.ts";
import type { Transport } from "./transport.ts";
import { Accounting } from "./accounting.ts";
import { HubCounters, type HubObserver } from "./counters.ts";
import { IdempotencyRecords } from "./idempotency_records.ts";
import type { HubOptions, SubscribeOptions } from "./hub_options.ts";

export type { HubOptions, SubscribeOptions } from "./hub_options.ts";

/** In-process callers of the embedding API are trusted. */
const TRUSTED: Actor = { id: "local", principal: developmentPrincipal("admin") };

/** Where sessions, connections, events and commands meet. */
export class Hub {
  readonly #store: Store;
  readonly #sessions: SessionDirectory;
  readonly #connections = new Set<Connection>();
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #hasSkill: (name: string) => boolean;
  readonly #maxBufferedBytes: number;
  readonly #replayBatchSize: number;
  readonly #maxSessions: number;
  readonly #heartbeat: Heartbeat | undefined;
  readonly #totals: TrafficTotals = { eventsIn: 0, framesOut: 0, framesIn: 0 };
  /** One close callback shared by every connection, rather than a closure each. */
  readonly #onClose = (connection: Connection) => this.#forget(connection);
  /** Publishes and commands accepted and not yet settled (stored or failed). */
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #observer: HubObserver;
  readonly #accounting: Accounting;
  readonly #activity = new ActivityMeter();
  /** Milliseconds between heartbeat pings (0 when off). */
  readonly heartbeatMs: number;
  /** Totals for metrics. */
  readonly counters: HubCounters;
  /** First answers to requests with an idempotency key (REST publish), kept by the store. */
  readonly idempotency: IdempotencyRecords;

  /** Creates a hub; call {@linkcode load} to pick up sessions the store already holds. */
  constructor(options: HubOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#hasSkill = options.hasSkill ?? (() => false);
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.#replayBatchSize = options.replayBatchSize ?? 500;
    this.#maxSessions = options.maxSessionsPerConnection ?? 100;
    this.heartbeatMs = options.heartbeatMs ?? 25_000;
    this.counters = options.counters ?? new HubCounters();
    this.#observer = options.observer ?? {};
    const monotonic = options.monotonicClock ?? (() => performance.now());
    this.#accounting = new Accounting(this.counters, this.#observer, monotonic);
    this.idempotency = new IdempotencyRecords(this.#store);
    this.#sessions = new SessionDirectory(this.#store, {
      store: this.#store,
      clock: this.#clock,
      hasSkill: this.#hasSkill,
      newId: this.#newId,
      replay: { batchSize: this.#replayBatchSize, highWaterBytes: this.#maxBufferedBytes / 4 },
      presence: {
        intervalMs: options.presenceIntervalMs ?? 100,
        listLimit: options.presenceListLimit ?? 100,
      },
    });
    if (this.heartbeatMs > 0) {
      this.#heartbeat = new Heartbeat(() => this.#connections, {
        intervalMs: this.heartbeatMs,
        clock: monotonic,
      });
    }
  }

  /** Loads the sessions the store already holds (after a restart). */
  load(): Promise<void> {
    return this.#sessions.load();
  }

  /**
   * Registers a new connection over `transport`, acting as `principal`; a bare `role` means
   * development mode (every session, no extra scopes).
   */
  connect(transport: Transport, options: { principal: Principal } | { role: Role }): Connection {
    const connection = new Connection(transport, {
      id: this.#newId(),
      principal: "principal" in options ? options.principal : developmentPrincipal(options.role),
      maxBufferedBytes: this.#maxBufferedBytes,
      counters: this.counters,
      onClose: this.#onClose,
    });
    this.#connections.add(connection);
    HubCounters.bump(this.counters.accepted, `${connection.role}/${connection.transport}`);
    this.#observer.connected?.(connection);
    return connection;
  }

  /** Subscribes a connection to a session (creating it on first use) and replays after lastSeq. */
  async subscribe(
    connection: Connection,
    sessionId: string,
    options: SubscribeOptions = {},
  ): Promise<SubscribeResult> {
    return await (await this.enqueueSubscribe(connection, sessionId, options)).result;
  }

  /**
   * Registers the subscription and resolves once it is in place (later events reach it); its
   * `result` resolves when the replay is done and delivery is live. Orchestrators receive the
   * session's commands whatever filter they give.
   */
  async enqueueSubscribe(
    connection: Connection,
    sessionId: string,
    options: SubscribeOptions = {},
  ): Promise<Queued<SubscribeResult>> {
    authorize(connection.principal, sessionId, "read");
    if (
      !connection.subscriptions.has(sessionId) && connection.subscriptions.size >= this.#maxSessions
    ) {
      throw new SwitchboardError(
        "LIMIT_EXCEEDED",
        `A connection may hold at most ${this.#maxSessions} sessions`,
      );
    }
    const session = await this.#sessions.open(sessionId);
    const patterns = connection.role === "orchestrator"
      ? [...options.events ?? [], "command"]
      : options.events;
    const stale = options.epoch !== undefined && options.epoch !== session.epoch;
    const subscribed = session.subscribe(connection, {
      lastSeq: stale ? 0 : options.lastSeq ?? 0,
      recovered: !stale,
      filter: compileFilter(patterns),
      onLive: options.onLive,
    });
    const { presence } = this.#store;
    if (presence) {
      subscribed.then(() => {
        if (connection.subscriptions.has(sessionId)) presence.attach(sessionId, connection);
      }, () => {});
    }
    return queued(subscribed);
  }

  /** Ends a connection's subscription to a session. */
  unsubscribe(connection: Connection, sessionId: string): void {
    if (!this.#sessions.get(sessionId)?.unsubscribe(connection)) {
      throw new SwitchboardError("NOT_SUBSCRIBED", `Not subscribed to session "${sessionId}"`);
    }
    this.#store.presence?.detach(sessionId, connection.id);
  }

  /** Appends validated events to a session (creating it on first use); resolves their seqs. */
  async publish(
    actor: Actor,
    sessionId: string,
    events: readonly ValidEvent[],
  ): Promise<number[]> {
    return await (await this.enqueuePublish(actor, sessionId, events)).result;
  }

  /** Queues events in the session's order; `result` resolves with their seqs once stored. */
  async enqueuePublish(
    actor: Actor,
    sessionId: string,
    events: readonly ValidEvent[],
  ): Promise<Queued<number[]>> {
    for (const { event } of events) authorize(actor.principal, sessionId, "publish", event);
    // An open session is taken as it is: no promise, no turn of waiting per publish.
    const session = this.#sessions.get(sessionId) ?? await this.#sessions.open(sessionId);
    return queued(this.#track(
      session.publish(events).then((seqs) => {
        this.#totals.eventsIn += seqs.length;
        this.#accounting.published(events);
        this.#activity.record(sessionId, seqs.length, this.#clock());
        return seqs;
      }),
    ));
  }

  /** Applies a validated command to an existing session. */
  async command(actor: Actor, sessionId: string, command: Command): Promise<CommandResult> {
    return await this.enqueueCommand(actor, sessionId, command).result;
  }

  /** Queues a command in the session's order; `result` is the command's answer. */
  enqueueCommand(actor: Actor, sessionId: string, command: Command): Queued<CommandResult> {
    authorize(actor.principal, sessionId, "command");
    const load = this.#sessions.get(sessionId) ?? (this.#store.watch
      ? undefined // on a shared store another node may have opened it: load it first
      : this.#sessions.existing(sessionId));
    const answer = load
      ? load.command(actor, command)
      : this.#sessions.find(sessionId).then((s) => s.command(actor, command));
    const result = answer.then((done) => {
      this.#activity.record(sessionId, 1, this.#clock());
      return done;
    });
    const { type } = command;
    this.#accounting.command(
      { session: sessionId, type, actor: actor.id, role: actor.principal.role },
      result,
    );
    return queued(this.#track(result));
  }

  /** Records a heartbeat pong. */
  pong(connection: Connection, t: number): void {
    const rtt = this.#heartbeat?.pong(connection, t);
    if (rtt !== undefined) this.#observer.roundTrip?.(rtt);
  }

  /** Creates a session; a taken id fails with `SESSION_EXISTS`. */
  async createSession(
    options: { sessionId?: string; metadata?: Record<string, unknown> } = {},
    actor: Actor = TRUSTED,
  ): Promise<SessionInfo> {
    const id = options.sessionId ?? this.#newId();
    authorize(actor.principal, id, "read");
    return describeSession(await this.#sessions.create(id, options.metadata ?? {}));
  }

  /** Describes a session: state, head, subscribers, decisions, checkpoints. */
  session(sessionId: string, actor: Actor = TRUSTED): SessionInfo {
    authorize(actor.principal, sessionId, "read");
    return describeSession(this.#sessions.existing(sessionId), this.#activityOf(sessionId));
  }

  /**
   * Describes a session like {@linkcode session}, first catching up with what other nodes
   * did when the store is shared (and loading a session only another node has opened).
   */
  async describe(sessionId: string, actor: Actor = TRUSTED): Promise<SessionInfo> {
    authorize(actor.principal, sessionId, "read");
    const session = await this.#sessions.find(sessionId);
    await session.refresh();
    const { presence } = this.#store;
    const info = describeSession(session, this.#activityOf(sessionId));
    return presence ? await acrossNodes(info, presence).catch(() => info) : info;
  }

  /** Summaries of the sessions `actor` has a grant for. */
  sessions(actor: Actor = TRUSTED): SessionSummary[] {
    const { principal } = actor;
    return [...this.#sessions.values()]
      .filter((s) => mayAccess(principal, s.id))
      .map((s) => summarize(s, this.#activityOf(s.id)));
  }

  /** Deletes a session: subscribers get `session:deleted`, then its stream is gone. */
  async deleteSession(sessionId: string, actor: Actor = TRUSTED): Promise<void> {
    authorize(actor.principal, sessionId, "delete");
    await this.#sessions.delete(sessionId);
    this.#activity.forget(sessionId);
  }

  /** Pages through a session's stored events. */
  readEvents(
    sessionId: string,
    options: { after: number; limit: number; actor?: Actor },
  ): Promise<StoredEvent[]> {
    authorize((options.actor ?? TRUSTED).principal, sessionId, "read");
    return this.#sessions.find(sessionId).then((s) => s.read(options.after, options.limit));
  }

  /**
   * The highest seq delivered live in a session, 0 when it does not exist: one field read, for
   * edges that wait for news (long polling).
   */
  publishedSeq(sessionId: string, actor: Actor = TRUSTED): number {
    authorize(actor.principal, sessionId, "read");
    return this.#sessions.get(sessionId)?.publishedSeq ?? 0;
  }

  /** Applies the store's retention limits now; resolves how many events were dropped. */
  trimHistory(): Promise<number> {
    return this.#store.trim(this.#clock());
  }

  /** Connection, traffic and round-trip statistics, limited to what `actor` has grants for. */
  stats(actor: Actor = TRUSTED): HubStats {
    const { principal } = actor;
    // Admins see everything, the totals of closed connections included.
    if (principal.role === "admin") return collectStats(this.#connections, this.#totals);
    return collectStats(this.#connections, this.#totals, (s) => mayAccess(principal, s));
  }

  /** On a shared store: this node's id and the nodes alive; otherwise `undefined`. */
  async cluster(actor: Actor = TRUSTED): Promise<ClusterStats | undefined> {
    const { presence } = this.#store;
    if (!presence || actor.principal.role !== "admin") return undefined;
    return await clusterStats(presence);
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** `false` while a store behind a network (Redis) cannot be reached. */
  get storeAvailable(): boolean {
    return this.#store.available ?? true;
  }

  /** Whether the store reports its reachability itself (`available`), as Redis does. */
  get storeReportsAvailability(): boolean {
    return this.#store.available !== undefined;
  }

  /** Number of sessions. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Publishes and commands accepted and not yet stored or failed. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Resolves once every publish and command accepted so far is stored or failed. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Stops the heartbeat and closes every connection, by default with 1012 (service restart:
   * reconnect, to another node if there is one).
   */
  close(
    code: number = CLOSE_CODES.SERVICE_RESTART,
    reason = "Server restarting: reconnect",
  ): void {
    this.#heartbeat?.stop();
    for (const connection of [...this.#connections]) connection.close(code, reason);
    for (const session of this.#sessions.values()) session.close();
  }

  /** Live state and traffic totals for metrics, summed when scraped (O(connections)). */
  gauges(): HubGauges {
    return collectGauges(this.#connections, this.#sessions.values(), this.counters);
  }

  #track<T>(operation: Promise<T>): Promise<T> {
    this.#inFlight.add(operation);
    const forget = () => this.#inFlight.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  #activityOf(sessionId: string): Activity {
    return this.#activity.of(sessionId, this.#clock());
  }

  #forget(connection: Connection): void {
    if (!this.#connections.delete(connection)) return;
    for (const sessionId of [...connection.subscriptions.keys()]) {
      this.#sessions.get(sessionId)?.unsubscribe(connection);
      this.#store.presence?.detach(sessionId, connection.id);
    }
    this.#totals.framesOut += connection.framesOut;
    this.#totals.framesIn += connection.framesIn;
    const { closed } = this.counters;
    closed.messagesSent += connection.framesOut;
    closed.bytesSent += connection.bytesOut;
    closed.deliveries += connection.deliveries;
  }
}
