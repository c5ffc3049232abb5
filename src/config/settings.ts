/**
 * @module The settings table: every setting declared once, with its flag, environment variable,
 * schema (range and default) and documentation. The config schema, the `--help` text and the
 * README's configuration table are all derived from it, so a new setting is one entry here.
 */
import { z } from "zod";
import { durationSchema } from "./duration.ts";
import { LIMIT_SETTINGS } from "./limit_settings.ts";
import { OPS_SETTINGS } from "./ops_settings.ts";
import { MiB, setting } from "./_setting.ts";

/** Every setting, keyed by its configuration field name, in the order `--help` lists them. */
export const SETTINGS = {
  port: setting({
    flag: "port",
    env: "PORT",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(0).max(65535).default(8000),
    shownDefault: "8000",
    help: "TCP port, 0 for any free one",
    doc: "TCP port; `0` picks any free one.",
  }),
  host: setting({
    flag: "host",
    env: "HOST",
    kind: "string",
    arg: "ADDR",
    schema: z.string().min(1).default("127.0.0.1"),
    shownDefault: "127.0.0.1",
    help: "interface to bind",
    doc: "Interface to bind. Anything but a loopback address needs authentication or `--insecure`.",
  }),
  heartbeatMs: setting({
    flag: "heartbeat-ms",
    env: "SWITCHBOARD_HEARTBEAT_MS",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(0).max(3_600_000).default(25_000)
      .refine((ms) => ms === 0 || ms >= 50, "Must be 0 (off) or at least 50"),
    shownDefault: "25000",
    help: "ms between heartbeat pings, 0 = off",
    doc:
      "Milliseconds between heartbeat pings; `0` turns the heartbeat off. Otherwise at least `50`.",
  }),
  skillsDir: setting({
    flag: "skills",
    env: "SWITCHBOARD_SKILLS_DIR",
    kind: "string",
    arg: "DIR",
    schema: z.string().min(1).optional(),
    shownDefault: "none",
    help: "load SKILL.md files from DIR",
    doc: "Load every `SKILL.md` below `DIR` (YAML front matter with `name` and `description`; " +
      "the body becomes `instructions`).",
  }),
  maxFrameBytes: setting({
    flag: "max-frame-bytes",
    env: "SWITCHBOARD_MAX_FRAME_BYTES",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(1024).max(64 * MiB).default(MiB),
    shownDefault: "1048576",
    help: "largest inbound frame or HTTP body",
    doc: "Largest inbound WebSocket frame or HTTP body under `/api/`, in bytes (1024 to 64 MiB).",
  }),
  maxBufferedBytes: setting({
    flag: "max-buffered-bytes",
    env: "SWITCHBOARD_MAX_BUFFERED_BYTES",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(64 * 1024).default(8 * MiB),
    shownDefault: "8388608",
    help: "outbound bytes queued before a slow-consumer close",
    doc: "Outbound bytes a connection may have queued before it is closed as a slow consumer " +
      "(4101); at least 65536.",
  }),
  store: setting({
    flag: "store",
    env: "SWITCHBOARD_STORE",
    kind: "string",
    arg: "SPEC",
    schema: z.string().regex(
      /^(memory|sqlite:.+|rediss?:\/\/[^\s/?]+(\/\d+)?(\?\S*)?)$/,
      'Use "memory", "sqlite:PATH" or "redis://[user:pass@]host:port[/db]"',
    ).default("sqlite:.data/switchboard.db"),
    shownDefault: "sqlite:.data/switchboard.db",
    help: "memory | sqlite:PATH | redis://H:P[/db]",
    doc: "Where events live: `memory` (lost on exit), `sqlite:PATH` (a SQLite file; its " +
      "directory is created) or `redis://[user:pass@]host:port[/db][?waitReplicas=N]` (`rediss://` " +
      "for TLS): several nodes sharing one Redis, see [Several nodes](#several-nodes-on-redis).",
  }),
  storeSync: setting({
    flag: "store-sync",
    env: "SWITCHBOARD_STORE_SYNC",
    kind: "string",
    arg: "MODE",
    schema: z.enum(["full", "normal"]).default("full"),
    shownDefault: "full",
    help: "full | normal (SQLite fsync policy)",
    doc: "SQLite durability: `full` keeps acknowledged events through power loss, `normal` " +
      "through process crashes only (faster).",
  }),
  historyLimit: setting({
    flag: "history-limit",
    env: "SWITCHBOARD_HISTORY_LIMIT",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(1).default(100_000),
    shownDefault: "100000",
    help: "events kept per session",
    doc: "Events kept per session; older ones are trimmed and can no longer be replayed.",
  }),
  historyMaxAge: setting({
    flag: "history-max-age",
    env: "SWITCHBOARD_HISTORY_MAX_AGE",
    kind: "string",
    arg: "D",
    schema: durationSchema.prefault("7d"),
    shownDefault: "7d",
    help: "drop events older than D (30s, 12h, 7d; 0 = never)",
    doc: "Events older than this are trimmed: milliseconds, or a number with `ms`, `s`, `m`, " +
      "`h` or `d`; `0` keeps them regardless of age.",
  }),
  jwtSecret: setting({
    flag: null,
    env: "SWITCHBOARD_JWT_SECRET",
    kind: "string",
    arg: "",
    schema: z.string().min(16, "Use a secret of at least 16 characters").optional(),
    shownDefault: "none",
    help: "HS256 secret, environment only",
    doc: "HS256 secret, at least 16 characters; setting it turns [authentication](#security) " +
      "on. Environment only, so it never appears on a command line.",
  }),
  jwtPublicKeyFile: setting({
    flag: "jwt-public-key",
    env: "SWITCHBOARD_JWT_PUBLIC_KEY_FILE",
    kind: "string",
    arg: "FILE",
    schema: z.string().min(1).optional(),
    shownDefault: "none",
    help: "PEM public key for RS256/ES256 tokens",
    doc: "PEM public key (`-----BEGIN PUBLIC KEY-----`) that verifies RS256 or ES256 tokens; " +
      "turns authentication on. Not together with the secret.",
  }),
  jwtAlgorithm: setting({
    flag: "jwt-alg",
    env: "SWITCHBOARD_JWT_ALG",
    kind: "string",
    arg: "ALG",
    schema: z.enum(["HS256", "RS256", "ES256"]).optional(),
    shownDefault: "`HS256` with the secret, `RS256` with a public key",
    help: "HS256 | RS256 | ES256",
    doc: "The one algorithm tokens must be signed with: `HS256`, `RS256` or `ES256`. A public " +
      "key needs `RS256` or `ES256`.",
  }),
  authTimeoutMs: setting({
    flag: "auth-timeout-ms",
    env: "SWITCHBOARD_AUTH_TIMEOUT_MS",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(100).max(60_000).default(5_000),
    shownDefault: "5000",
    help: "time allowed for the auth frame",
    doc: "Time a WebSocket without a token in its request has to send its `auth` frame " +
      "(100 to 60000).",
  }),
  insecure: setting({
    flag: "insecure",
    env: "SWITCHBOARD_INSECURE",
    kind: "boolean",
    arg: "",
    schema: z.boolean().default(false),
    shownDefault: "false",
    help: "allow a non-loopback host without auth",
    doc: "Allow a non-loopback `--host` without authentication (an open hub). The variable " +
      "takes `true`, `false`, `1` or `0`.",
  }),
  allowedOrigins: setting({
    flag: "allowed-origins",
    env: "SWITCHBOARD_ALLOWED_ORIGINS",
    kind: "list",
    arg: "LIST",
    schema: z.array(z.string().min(1)).optional(),
    shownDefault: "loopback origins",
    help: "comma-separated browser origins, or *",
    doc: "Comma-separated browser origins (`https://dash.example.com`) allowed besides the " +
      "server's own, or `*` for any. Replaces the loopback default.",
  }),
  hookApprovalTimeoutMs: setting({
    flag: "hook-approval-timeout-ms",
    env: "SWITCHBOARD_HOOK_APPROVAL_TIMEOUT_MS",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(100).max(590_000).default(120_000),
    shownDefault: "120000",
    help: "ms a Claude Code tool call waits for approval",
    doc: "Milliseconds a Claude Code `PreToolUse` held for approval waits for a DECISION " +
      "before the approval policy's default is answered (100 to 590000). Keep it below the " +
      "hook's own `timeout` (600 s unless set; `deno task hooks` sets it).",
  }),
  hookMaxHeld: setting({
    flag: "hook-max-held",
    env: "SWITCHBOARD_HOOK_MAX_HELD",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(0).max(100_000).default(100),
    shownDefault: "100",
    help: "Claude Code tool calls held for approval at once",
    doc: "Claude Code tool calls the server holds open for approval at once; past it a call " +
      "is answered with the policy's default at once.",
  }),
  ...LIMIT_SETTINGS,
  ...OPS_SETTINGS,
} as const;
