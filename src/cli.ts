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
  --store SPEC          memory | sqlite:PATH | redis://H:P[/db]  [SWITCHBOARD_STORE] (sqlite:.data/switchboard.db)
  --store-sync MODE     full | normal (SQLite fsync policy)      [SWITCHBOARD_STORE_SYNC] (full)
  --history-limit N     events kept per session                  [SWITCHBOARD_HISTORY_LIMIT] (100000)
  --history-max-age D   drop events older than D (30s, 12h, 7d; 0 = never) [SWITCHBOARD_HISTORY_MAX_AGE] (7d)

Security (authentication is on when a secret or public key is set):
                        HS256 secret, environment only           [SWITCHBOARD_JWT_SECRET]
  --jwt-public-key FILE PEM public key for RS256/ES256 tokens    [SWITCHBOARD_JWT_PUBLIC_KEY_FILE]
  --jwt-alg ALG         HS256 | RS256 | ES256                    [SWITCHBOARD_JWT_ALG]
  --auth-timeout-ms N   time allowed for the auth frame          [SWITCHBOARD_AUTH_TIMEOUT_MS] (5000)
  --insecure            allow a non-loopback host without auth   [SWITCHBOARD_INSECURE]
  --allowed-origins L   comma-separated browser origins, or *    [SWITCHBOARD_ALLOWED_ORIGINS] (loopback)
  --frame-rate N        frames/s per connection                  [SWITCHBOARD_FRAME_RATE] (500)
  --command-rate N      commands/s per connection                [SWITCHBOARD_COMMAND_RATE] (20)
  --subject-frame-rate N    frames/s per token subject           [SWITCHBOARD_SUBJECT_FRAME_RATE] (2000)
  --subject-command-rate N  commands/s per token subject         [SWITCHBOARD_SUBJECT_COMMAND_RATE] (50)
  --abuse-limit N       rate-limited frames in 10 s that close   [SWITCHBOARD_ABUSE_LIMIT] (200)
  --max-connections-per-ip N                                     [SWITCHBOARD_MAX_CONNECTIONS_PER_IP] (1000)
  --max-sessions-per-connection N                                [SWITCHBOARD_MAX_SESSIONS_PER_CONNECTION] (100)
  --max-payload-depth N JSON nesting depth                       [SWITCHBOARD_MAX_PAYLOAD_DEPTH] (32)
  --max-event-name-length N                                      [SWITCHBOARD_MAX_EVENT_NAME_LENGTH] (128)
  --max-session-id-length N                                      [SWITCHBOARD_MAX_SESSION_ID_LENGTH] (128)
  -h, --help            show this text
`;

type Kind = "string" | "number" | "boolean" | "list";

/** Each setting's flag (`null`: environment only, as for secrets), variable and kind. */
const SETTINGS: Record<string, { flag: string | null; env: string; kind: Kind }> = {
  port: { flag: "port", env: "PORT", kind: "number" },
  host: { flag: "host", env: "HOST", kind: "string" },
  heartbeatMs: { flag: "heartbeat-ms", env: "SWITCHBOARD_HEARTBEAT_MS", kind: "number" },
  skillsDir: { flag: "skills", env: "SWITCHBOARD_SKILLS_DIR", kind: "string" },
  maxFrameBytes: { flag: "max-frame-bytes", env: "SWITCHBOARD_MAX_FRAME_BYTES", kind: "number" },
  store: { flag: "store", env: "SWITCHBOARD_STORE", kind: "string" },
  storeSync: { flag: "store-sync", env: "SWITCHBOARD_STORE_SYNC", kind: "string" },
  historyLimit: { flag: "history-limit", env: "SWITCHBOARD_HISTORY_LIMIT", kind: "number" },
  historyMaxAge: { flag: "history-max-age", env: "SWITCHBOARD_HISTORY_MAX_AGE", kind: "string" },
  jwtSecret: { flag: null, env: "SWITCHBOARD_JWT_SECRET", kind: "string" },
  jwtPublicKeyFile: {
    flag: "jwt-public-key",
    env: "SWITCHBOARD_JWT_PUBLIC_KEY_FILE",
    kind: "string",
  },
  jwtAlgorithm: { flag: "jwt-alg", env: "SWITCHBOARD_JWT_ALG", kind: "string" },
  authTimeoutMs: { flag: "auth-timeout-ms", env: "SWITCHBOARD_AUTH_TIMEOUT_MS", kind: "number" },
  insecure: { flag: "insecure", env: "SWITCHBOARD_INSECURE", kind: "boolean" },
  allowedOrigins: { flag: "allowed-origins", env: "SWITCHBOARD_ALLOWED_ORIGINS", kind: "list" },
  frameRate: { flag: "frame-rate", env: "SWITCHBOARD_FRAME_RATE", kind: "number" },
  commandRate: { flag: "command-rate", env: "SWITCHBOARD_COMMAND_RATE", kind: "number" },
  subjectFrameRate: {
    flag: "subject-frame-rate",
    env: "SWITCHBOARD_SUBJECT_FRAME_RATE",
    kind: "number",
  },
  subjectCommandRate: {
    flag: "subject-command-rate",
    env: "SWITCHBOARD_SUBJECT_COMMAND_RATE",
    kind: "number",
  },
  abuseLimit: { flag: "abuse-limit", env: "SWITCHBOARD_ABUSE_LIMIT", kind: "number" },
  maxConnectionsPerIp: {
    flag: "max-connections-per-ip",
    env: "SWITCHBOARD_MAX_CONNECTIONS_PER_IP",
    kind: "number",
  },
  maxSessionsPerConnection: {
    flag: "max-sessions-per-connection",
    env: "SWITCHBOARD_MAX_SESSIONS_PER_CONNECTION",
    kind: "number",
  },
  maxPayloadDepth: {
    flag: "max-payload-depth",
    env: "SWITCHBOARD_MAX_PAYLOAD_DEPTH",
    kind: "number",
  },
  maxEventNameLength: {
    flag: "max-event-name-length",
    env: "SWITCHBOARD_MAX_EVENT_NAME_LENGTH",
    kind: "number",
  },
  maxSessionIdLength: {
    flag: "max-session-id-length",
    env: "SWITCHBOARD_MAX_SESSION_ID_LENGTH",
    kind: "number",
  },
};

/** Parsed command line: either a request for help or configuration input. */
export type CliResult = { help: true } | { help: false; input: ConfigInput };

/** Reads flags (which win) and environment variables; throws on unknown flags or bad numbers. */
export function parseCli(args: string[], env: Record<string, string | undefined>): CliResult {
  const options = Object.fromEntries(
    Object.values(SETTINGS).flatMap((s) =>
      s.flag === null
        ? []
        : [[s.flag, { type: s.kind === "boolean" ? "boolean" as const : "string" as const }]]
    ),
  );
  // `deno task start -- --port 1` passes the `--` through; it separates nothing here.
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args,
    options: { ...options, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const flags = values as Record<string, string | boolean | undefined>;
  const input: Record<string, string | number | boolean | string[]> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const flagValue = setting.flag === null ? undefined : flags[setting.flag];
    if (typeof flagValue === "boolean") {
      input[key] = flagValue;
      continue;
    }
    const raw = flagValue ?? env[setting.env];
    if (raw === undefined || raw === "") continue;
    // Name where the value came from, so a bad environment variable is not blamed on a flag.
    const source = flagValue === undefined ? setting.env : `--${setting.flag}`;
    input[key] = convert(raw, setting.kind, source);
  }
  return { help: false, input: input as ConfigInput };
}

function convert(raw: string, kind: Kind, source: string): string | number | boolean | string[] {
  switch (kind) {
    case "string":
      return raw;
    case "list":
      return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
    case "boolean":
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      throw new Error(`Invalid ${source} "${raw}": use true or false`);
    case "number": {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`Invalid ${source} "${raw}": not a number`);
      return value;
    }
  }
}
