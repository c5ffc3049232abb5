/**
 * @module The operations part of the settings table: shutdown, logs, metrics and proxies.
 */
import { z } from "zod";
import { parseCidr } from "../net/cidr.ts";
import { durationSchema } from "./duration.ts";
import { setting } from "./_setting.ts";

/** Operations settings, keyed by configuration field name. */
export const OPS_SETTINGS = {
  shutdownTimeout: setting({
    flag: "shutdown-timeout",
    env: "SWITCHBOARD_SHUTDOWN_TIMEOUT",
    kind: "string",
    arg: "D",
    schema: durationSchema.prefault("10s"),
    shownDefault: "10s",
    help: "time a SIGTERM/SIGINT shutdown may take",
    doc: "How long a graceful shutdown (SIGTERM or SIGINT) may take: accepted appends finish, " +
      "WebSocket clients are told to reconnect (1012) and their close replies awaited, the " +
      "store is flushed; then the process exits 0. Milliseconds or a duration like `30s`.",
  }),
  logFormat: setting({
    flag: "log-format",
    env: "SWITCHBOARD_LOG_FORMAT",
    kind: "string",
    arg: "FORMAT",
    schema: z.enum(["auto", "json", "pretty"]).default("auto"),
    shownDefault: "auto",
    help: "auto | json | pretty (auto: json unless a terminal)",
    doc: "Log lines as one JSON object each (`json`, for shipping) or as text for people " +
      "(`pretty`); `auto` picks `json` unless stdout is a terminal. Logs carry identifiers and " +
      "codes, never a token or a payload.",
  }),
  logLevel: setting({
    flag: "log-level",
    env: "SWITCHBOARD_LOG_LEVEL",
    kind: "string",
    arg: "LEVEL",
    schema: z.enum(["debug", "info", "warn", "error"]).default("info"),
    shownDefault: "info",
    help: "debug | info | warn | error",
    doc: "Least severe log lines written: `debug` adds refused frames, `info` connections, " +
      "commands and start-up, `warn` refusals and abnormal closes, `error` store and server errors.",
  }),
  metricsPublic: setting({
    flag: "metrics-public",
    env: "SWITCHBOARD_METRICS_PUBLIC",
    kind: "boolean",
    arg: "",
    schema: z.boolean().default(false),
    shownDefault: "false",
    help: "serve /metrics without a token",
    doc: "Serve `GET /metrics` without a token. Otherwise, with authentication on, it needs an " +
      "admin token like the admin API (in development mode it is open anyway).",
  }),
  trustProxy: setting({
    flag: "trust-proxy",
    env: "SWITCHBOARD_TRUST_PROXY",
    kind: "list",
    arg: "LIST",
    schema: z.array(
      z.string().refine((entry) => {
        try {
          parseCidr(entry);
          return true;
        } catch {
          return false;
        }
      }, "Use IP addresses or CIDR ranges such as 10.0.0.0/8"),
    ).default([]),
    shownDefault: "none",
    help: "comma-separated proxy addresses/CIDRs to believe",
    doc: "Comma-separated addresses or CIDR ranges of reverse proxies (`127.0.0.1,10.0.0.0/8`). " +
      "Only for requests from these is the client address read from `Forwarded` or " +
      "`X-Forwarded-For` (for per-address limits and logs); otherwise the headers are ignored.",
  }),
};
