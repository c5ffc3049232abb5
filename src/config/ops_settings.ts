/**
 * @module The operations part of the settings table: shutdown, logs, metrics and proxies.
 */
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
};
