/**
 * @module Prometheus metrics (prom-client). Names follow Prometheus conventions and Centrifugo's
 * where the idea is the same. Counters and gauges are read from the hub's plain counters when
 * scraped (collect callbacks), so the fan-out path pays one integer increment per delivery;
 * only the rarer timings (an append batch, a command confirmation, a pong) are observed as they
 * happen, into histograms.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { HubObserver } from "../hub/counters.ts";
import type { Hub } from "../hub/hub.ts";
import type { HubGauges } from "../hub/stats.ts";
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import type { StoreHealth } from "./observed_store.ts";
import { watchRedis } from "./redis_metrics.ts";

const PREFIX = "switchboard_";

/** One server's metrics registry. */
export class Metrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry = new Registry();
  readonly #storeAppend: Histogram;
  readonly #commandApplied: Histogram;
  readonly #roundTrip: Histogram;

  /** Creates the histograms; call {@linkcode watch} once the hub exists. */
  constructor() {
    const registers = [this.registry];
    this.#storeAppend = new Histogram({
      name: `${PREFIX}store_append_duration_seconds`,
      help: "Time the store took to append one batch of events (one group commit).",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#commandApplied = new Histogram({
      name: `${PREFIX}command_applied_duration_seconds`,
      help: "Time from a command's acceptance to the orchestrator's command:applied.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.#roundTrip = new Histogram({
      name: `${PREFIX}client_ping_pong_duration_seconds`,
      help: "Heartbeat round trip: from the server's ping to the client's pong.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }

  /** The timings the hub reports as they happen. */
  get observer(): Pick<HubObserver, "commandApplied" | "roundTrip"> {
    return {
      commandApplied: (ms) => this.#commandApplied.observe(ms / 1000),
      roundTrip: (ms) => this.#roundTrip.observe(ms / 1000),
    };
  }

  /** Records one store append's duration. */
  storeAppended(seconds: number): void {
    this.#storeAppend.observe(seconds);
  }

  /** Registers the metrics read from `hub` (and the store's health) at scrape time. */
  watch(hub: Hub, store: StoreHealth): void {
    const { counters } = hub;
    const registers = [this.registry];
    // One pass over the connections per scrape, shared by the metrics that read it.
    let snapshot: { at: number; gauges: HubGauges } | undefined;
    const live = () => {
      const now = performance.now();
      if (!snapshot || now - snapshot.at > 100) snapshot = { at: now, gauges: hub.gauges() };
      return snapshot.gauges;
    };
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name: PREFIX + name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name: PREFIX + name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const byLabels = <K>(
      name: string,
      help: string,
      labelNames: string[],
      read: () => Map<K, number>,
      kind: "counter" | "gauge" = "counter",
    ) => {
      const Metric = kind === "counter" ? Counter : Gauge;
      new Metric({
        name: PREFIX + name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [key, value] of read()) {
            const parts = String(key).split("/");
            const labels = Object.fromEntries(labelNames.map((label, i) => [label, parts[i]]));
            if (kind === "counter") (this as Counter).inc(labels, value);
            else (this as Gauge).set(labels, value);
          }
        },
      });
    };

    byLabels(
      "client_connections_inflight",
      "Open connections, by role and transport.",
      ["role", "transport"],
      () => live().connections,
      "gauge",
    );
    byLabels(
      "client_connections_accepted_total",
      "Connections accepted (authenticated), by role and transport.",
      ["role", "transport"],
      () => counters.accepted,
    );
    gauge("sessions", "Sessions the hub holds.", () => hub.sessionCount);
    gauge(
      "subscriptions",
      "Subscriptions of open connections to sessions.",
      () => live().subscriptions,
    );
    gauge(
      "decision_points_open",
      "Decision points waiting for a DECISION.",
      () => live().openDecisions,
    );
    gauge(
      "store_failing",
      "1 while the store's last operation failed, else 0.",
      () => store.failing ? 1 : 0,
    );
    byLabels(
      "events_published_total",
      "Events clients published and the store accepted, by event family (the part before the " +
        "colon for catalogued events, custom, or other).",
      ["family"],
      () => counters.published,
    );
    counter(
      "deliveries_total",
      "Session events sent live to subscribers.",
      () => live().deliveries,
    );
    counter(
      "transport_messages_sent_total",
      "Frames sent on all connections.",
      () => live().messagesSent,
    );
    counter(
      "transport_messages_sent_bytes_total",
      "Size of the frames sent, in characters (bytes for ASCII JSON).",
      () => live().bytesSent,
    );
    byLabels(
      "commands_total",
      "Commands answered, by type and result (ok or the error code).",
      ["type", "result"],
      () => counters.commands,
    );
    counter(
      "replays_total",
      "Subscriptions that caught up from the store.",
      () => counters.replays,
    );
    counter(
      "events_replayed_total",
      "Events sent by catch-ups from the store.",
      () => counters.eventsReplayed,
    );
    byLabels(
      "client_server_disconnects_total",
      "Connections the server closed, by close code.",
      ["code"],
      () => counters.closes,
    );
    counter(
      "rate_limited_total",
      "Frames and commands refused with RATE_LIMITED.",
      () => counters.rateLimited,
    );
    counter(
      "slow_consumer_closes_total",
      "Connections closed as slow consumers (4101).",
      () => counters.closes.get(CLOSE_CODES.SLOW_CONSUMER) ?? 0,
    );
    if (store.redis) watchRedis(this.registry, PREFIX, store.redis);
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
