/**
 * @module Command-line flags and environment variables → configuration.
 */
import { parseArgs } from "node:util";
import type { ConfigInput } from "./config.ts";

/** The `--help` text. */
export const USAGE = `Switchboard: a real-time event hub for AI-agent runs.

Usage: deno task start -- [options]

Options (environment variable in brackets):
  --port N              TCP port, 0 for any free one            [PORT] (8000)
  --host ADDR           interface to bind                        [HOST] (127.0.0.1)
  --heartbeat-ms N      ms between heartbeat pings, 0 = off      [SWITCHBOARD_HEARTBEAT_MS] (25000)
  --skills DIR          load SKILL.md files from DIR             [SWITCHBOARD_SKILLS_DIR]
  --max-frame-bytes N   largest inbound frame or HTTP body       [SWITCHBOARD_MAX_FRAME_BYTES] (1048576)
  --store SPEC          memory | sqlite:PATH                     [SWITCHBOARD_STORE] (sqlite:.data/switchboard.db)
  --store-sync MODE     full | normal (SQLite fsync policy)      [SWITCHBOARD_STORE_SYNC] (full)
  --history-limit N     events kept per session                  [SWITCHBOARD_HISTORY_LIMIT] (100000)
  --history-max-age D   drop events older than D (30s, 12h, 7d; 0 = never) [SWITCHBOARD_HISTORY_MAX_AGE] (7d)
  -h, --help            show this text
`;

/** Flags, their environment variables, and whether they are numbers. */
const SETTINGS = {
  port: { flag: "port", env: "PORT", numeric: true },
  host: { flag: "host", env: "HOST", numeric: false },
  heartbeatMs: { flag: "heartbeat-ms", env: "SWITCHBOARD_HEARTBEAT_MS", numeric: true },
  skillsDir: { flag: "skills", env: "SWITCHBOARD_SKILLS_DIR", numeric: false },
  maxFrameBytes: { flag: "max-frame-bytes", env: "SWITCHBOARD_MAX_FRAME_BYTES", numeric: true },
  store: { flag: "store", env: "SWITCHBOARD_STORE", numeric: false },
  storeSync: { flag: "store-sync", env: "SWITCHBOARD_STORE_SYNC", numeric: false },
  historyLimit: { flag: "history-limit", env: "SWITCHBOARD_HISTORY_LIMIT", numeric: true },
  historyMaxAge: { flag: "history-max-age", env: "SWITCHBOARD_HISTORY_MAX_AGE", numeric: false },
} as const;

/** Parsed command line: either a request for help or configuration input. */
export type CliResult = { help: true } | { help: false; input: ConfigInput };

/** Reads flags (which win) and environment variables; throws on unknown flags or bad numbers. */
export function parseCli(args: string[], env: Record<string, string | undefined>): CliResult {
  const options = Object.fromEntries(
    Object.values(SETTINGS).map((s) => [s.flag, { type: "string" as const }]),
  );
  // `deno task start -- --port 1` passes the `--` through; it separates nothing here.
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args,
    options: { ...options, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const input: Record<string, string | number> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const flagValue = (values as Record<string, string | boolean | undefined>)[setting.flag];
    const raw = (typeof flagValue === "string" ? flagValue : undefined) ?? env[setting.env];
    if (raw === undefined || raw === "") continue;
    if (!setting.numeric) {
      input[key] = raw;
      continue;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      throw new Error(`Invalid --${setting.flag} "${raw}": not a number`);
    }
    input[key] = value;
  }
  return { help: false, input: input as ConfigInput };
}
