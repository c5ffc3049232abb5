/**
 * @module The load on one server, or on the nodes of one cluster: K generator processes
 * (usually one per server) holding its subscribers, with the publisher and the probe on the
 * first, and their reports merged.
 */
import { Generator, type SparseHistogram, type StepReport } from "./_generator.ts";
import { percentiles } from "./generator/histogram.mjs";
import { type RunningServer, WIRE_OF } from "./_servers.ts";

/** Latency percentiles in milliseconds (`null` without samples). */
export interface Percentiles {
  p50: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** A fan-out step as measured by the generators, merged. */
export interface FanoutResult {
  subscribers: number;
  rate: number;
  sent: number;
  acked: number;
  nacked: number;
  received: number;
  expected: number;
  /** Every subscriber got every event, and every publish was acknowledged. */
  complete: boolean;
  dropped: number;
  /** Frames of earlier steps (or unreadable) that arrived during this one. */
  stale: number;
  /** Delivery latency from the scheduled send time. */
  latency: Percentiles;
  /** The same for each generator's subscribers (with several servers: generator i on server i). */
  latencyByGenerator: Percentiles[];
  /** Per event: from its scheduled send until the last subscriber had it. */
  lastSubscriber: Percentiles;
  /** Publish to ack, from the scheduled send time (servers with acks). */
  ack: Percentiles;
  /** Round trips of the probe sent during the step. */
  rtt: Percentiles;
  /** Deliveries per second from the first scheduled send to the last arrival. */
  deliveriesPerSecond: number;
  /** CPU seconds the generators used. */
  generatorCpuSeconds: number;
}

/** Options of {@linkcode Load.fanout}. */
export interface FanoutOptions {
  session: string;
  /** Events per second. */
  rate: number;
  /** Seconds of publishing. */
  seconds: number;
  /** Milliseconds to wait after the last send for deliveries. @default 3000 */
  drainMs?: number;
  /** Send a round-trip probe this often during the step. */
  probeMs?: number;
}

/** Options of {@linkcode Load.reconnectStorm}. */
export interface ReconnectStormOptions {
  session: string;
  /** Subscribers. */
  n: number;
  /** First event index. */
  first: number;
  /** Events published before the drop, during the outage, and while reconnecting. */
  before: number;
  outage: number;
  during: number;
  /** Reconnects are spread over this many milliseconds. */
  windowMs: number;
  /** Events per second of each publishing stretch. */
  rate: number;
}

/** What a reconnect storm measured. */
export interface ReconnectStormResult {
  n: number;
  /** From the drop until the last subscriber was live again, ms. */
  ms: number;
  /** Reconnects that failed. */
  failed: number;
  /** Events published in all. */
  events: number;
  expected: number;
  received: number;
  /** Events some subscriber never got (summed over subscribers). */
  missed: number;
  /** Events some subscriber got twice. */
  duplicates: number;
}

/** What the pipelined publisher measured. */
export interface PipelineResult {
  inFlight: number;
  sent: number;
  /** Publishes answered (acks, or for the relay deliveries). */
  acked: number;
  /** Publishes refused (e.g. rate limited); not counted as events. */
  nacked: number;
  /** Events the subscriber received. */
  received: number;
  unanswered: number;
  wallSeconds: number;
  eventsPerSecond: number;
  /** Publish to answer. */
  ack: Percentiles;
  cpuMs: number;
}

/** Generators attached to one server. */
export class Load {
  readonly #generators: Generator[];
  readonly #acks: boolean;
  /** Event indexes never repeat within a run, so late frames of a past step are told apart. */
  #next = 0;

  /**
   * Spawns `count` generators for `server`, pinned to `core` if given. Given the nodes of one
   * cluster, generator i connects to node i modulo their number (at least one each), so the
   * subscribers are split evenly over the nodes and the publisher is on the first node.
   */
  constructor(
    server: RunningServer | RunningServer[],
    options: { count: number; core?: number },
  ) {
    const servers = Array.isArray(server) ? server : [server];
    const wire = WIRE_OF[servers[0].name];
    this.#acks = wire !== "relay";
    this.#generators = Array.from(
      { length: Math.max(1, options.count, servers.length) },
      (_, i) => new Generator(wire, servers[i % servers.length].wsUrl, options.core),
    );
  }

  /** Opens `n` subscribers of `session`, split over the generators; resolves the time taken. */
  async subscribe(
    session: string,
    n: number,
    query = "",
  ): Promise<{ ms: number }> {
    const started = performance.now();
    const shares = this.#split(n);
    await Promise.all(
      this.#generators.map((g, i) =>
        shares[i] > 0
          ? g.request({ cmd: "subscribe", session, n: shares[i], query })
          : Promise.resolve()
      ),
    );
    return { ms: performance.now() - started };
  }

  /** Runs one open-loop fan-out step and merges what every generator saw. */
  async fanout(options: FanoutOptions): Promise<FanoutResult> {
    const count = Math.max(1, Math.round(options.rate * options.seconds));
    const first = this.#next;
    this.#next += count;
    // A moment's lead, so every generator has the command before the first send is due.
    const startAt = Date.now() + 150;
    const reports = await Promise.all(
      this.#generators.map((g, i) =>
        g.request<StepReport>({
          cmd: "fanout",
          session: options.session,
          first,
          count,
          rate: options.rate,
          startAt,
          drainMs: options.drainMs ?? 3000,
          publish: i === 0,
          probeMs: i === 0 ? options.probeMs : undefined,
        })
      ),
    );
    const sum = (pick: (r: StepReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
    const [lead] = reports;
    const last = new Array<number>(count).fill(0);
    for (const report of reports) {
      if (report.subscribers === 0) continue;
      report.last.forEach((ms, i) => last[i] = ms < 0 || last[i] < 0 ? -1 : Math.max(last[i], ms));
    }
    const received = sum((r) => r.received);
    const expected = sum((r) => r.expected);
    const lastArrival = Math.max(...reports.map((r) => r.lastArrival));
    return {
      subscribers: sum((r) => r.subscribers),
      rate: options.rate,
      sent: lead.sent,
      acked: lead.acked,
      nacked: lead.nacked,
      received,
      expected,
      complete: received === expected && lead.sent === count &&
        (!this.#acks || lead.acked === lead.sent),
      dropped: sum((r) => r.dropped),
      stale: sum((r) => r.stale),
      latency: merge(reports.map((r) => r.latency)),
      latencyByGenerator: reports.map((r) => merge([r.latency])),
      lastSubscriber: fromSamples(last.filter((ms) => ms >= 0)),
      ack: merge([lead.ack]),
      rtt: merge([lead.rtt]),
      deliveriesPerSecond: lastArrival > startAt ? received / ((lastArrival - startAt) / 1000) : 0,
      generatorCpuSeconds: sum((r) => r.cpuMs) / 1000,
    };
  }

  /** `count` round trips, one at a time, `gapMs` apart, on an otherwise idle connection. */
  async rtt(count: number, gapMs = 1): Promise<Percentiles> {
    const answer = await this.#generators[0].request<{ rtt: SparseHistogram }>({
      cmd: "rtt",
      count,
      gapMs,
    });
    return merge([answer.rtt]);
  }

  /** A late subscriber of `session` replays `expect` events: how long until it is live. */
  replay(
    session: string,
    expect: number,
  ): Promise<{ ms: number; received: number }> {
    return this.#generators[0].request({ cmd: "replay", session, expect });
  }

  /**
   * The reconnect storm on `session` (see bench/generator/storms.mjs): `n` subscribers dropped
   * at once and back within `windowMs`, resuming where the wire can.
   */
  reconnectStorm(
    options: Omit<ReconnectStormOptions, "first">,
  ): Promise<ReconnectStormResult> {
    const first = this.#next;
    this.#next += options.before + options.outage + options.during;
    return this.#generators[0].request({
      cmd: "reconnectStorm",
      ...options,
      first,
    });
  }

  /** A publisher keeping `inFlight` publishes unanswered for `seconds`, one subscriber watching. */
  async pipeline(
    options: { session: string; inFlight: number; seconds: number },
  ): Promise<PipelineResult> {
    const first = this.#next;
    // Far more than any run sends; indexes only need to be unique.
    this.#next += 10_000_000;
    const raw = await this.#generators[0].request<
      PipelineResult & { ack: SparseHistogram }
    >({
      cmd: "pipeline",
      ...options,
      first,
    });
    return { ...raw, ack: merge([raw.ack]) };
  }

  /** Closes the subscribers of `session` (all when omitted). */
  async close(session?: string): Promise<void> {
    await Promise.all(
      this.#generators.map((g) => g.request({ cmd: "close", session })),
    );
  }

  /** Ends the generator processes. */
  async stop(): Promise<void> {
    await Promise.all(this.#generators.map((g) => g.close()));
  }

  #split(n: number): number[] {
    const k = this.#generators.length;
    return this.#generators.map((_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
  }
}

function merge(parts: SparseHistogram[]): Percentiles {
  return percentiles(parts) as unknown as Percentiles;
}

/** Percentiles of a plain list of samples (milliseconds), by nearest rank. */
function fromSamples(samples: number[]): Percentiles {
  if (samples.length === 0) {
    return { p50: null, p99: null, p999: null, max: null };
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  return {
    p50: at(50),
    p99: at(99),
    p999: at(99.9),
    max: sorted[sorted.length - 1],
  };
}
