/**
 * @module The Redis store's section of `/metrics`, registered only when the store is Redis:
 * connection state and reconnects, notices from other nodes, resyncs, stream reads, appends and
 * lost head races, commands failed while Redis was away. All read from the store's plain
 * counters at scrape time. (Append latency is `switchboard_store_append_duration_seconds`,
 * common to every store.)
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { RedisStats } from "../store/redis/stats.ts";

/** Registers the Redis metrics of `stats` in `registry`, names starting with `prefix`. */
export function watchRedis(registry: Registry, prefix: string, stats: RedisStats): void {
  const registers = [registry];
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name: `${prefix}redis_${name}`,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const labelled = (
    name: string,
    help: string,
    label: string,
    read: () => Map<string, number>,
    kind: "counter" | "gauge" = "counter",
  ) => {
    const Metric = kind === "counter" ? Counter : Gauge;
    new Metric({
      name: `${prefix}redis_${name}`,
      help,
      labelNames: [label],
      registers,
      collect() {
        this.reset();
        for (const [key, value] of read()) {
          if (kind === "counter") (this as Counter).inc({ [label]: key }, value);
          else (this as Gauge).set({ [label]: key }, value);
        }
      },
    });
  };
  const connections = ["commands", "pubsub"] as const;
  labelled(
    "connected",
    "1 while the connection to Redis is up and ready, else 0: commands (reads, appends) and " +
      "pubsub (notices from other nodes).",
    "connection",
    () => new Map(connections.map((c) => [c, stats.connected(c) ? 1 : 0])),
    "gauge",
  );
  labelled(
    "reconnects_total",
    "Times a connection to Redis came back after being lost.",
    "connection",
    () => stats.reconnects,
  );
  labelled(
    "notices_total",
    "Notices received from the nodes (this one included) on the channels of the sessions " +
      "this node watches, by kind: append or deleted.",
    "kind",
    () => stats.notices,
  );
  counter(
    "resyncs_total",
    "Times a session was told to read its stream whatever the notices said, because notices " +
      "may have been missed (its channel was subscribed, or subscribed again after an outage).",
    () => stats.resyncs,
  );
  counter(
    "stream_reads_total",
    "Reads (XRANGE) of a session stream: replays to subscribers, and catching up with events " +
      "other nodes appended.",
    () => stats.streamReads,
  );
  counter("stream_events_read_total", "Events those reads returned.", () => stats.eventsRead);
  counter("appends_total", "Append scripts run by this node.", () => stats.appends);
  counter("events_appended_total", "Events this node appended.", () => stats.eventsAppended);
  counter(
    "append_conflicts_total",
    "Appends refused because another node had moved the session's head first (re-planned).",
    () => stats.appendConflicts,
  );
  counter(
    "unavailable_total",
    "Commands that failed because Redis could not be reached (answered STORE_UNAVAILABLE).",
    () => stats.unavailable,
  );
}
