/**
 * @module Server configuration: one zod schema with documented defaults. Invalid values fail
 * at start-up with a message naming the setting.
 */
import { z } from "zod";
import { describeIssue } from "./protocol/validate.ts";

const MiB = 1024 * 1024;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration: milliseconds as a number, or a string such as `"90s"`, `"15m"`, `"12h"`, `"7d"`. */
export const durationSchema = z.union([
  z.number().int().min(0),
  z.string().regex(
    /^\d+(ms|s|m|h|d)?$/,
    'Use a number of ms or a duration like "30s", "15m", "12h", "7d"',
  ),
]).transform((value) => {
  if (typeof value === "number") return value;
  const [, amount, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(value)!;
  return Number(amount) * UNIT_MS[(unit ?? "ms") as keyof typeof UNIT_MS];
});

/** The configuration schema; every field has a default. */
export const configSchema = z.strictObject({
  /** TCP port; 0 picks a free one. @default 8000 */
  port: z.number().int().min(0).max(65535).default(8000),
  /** Interface to bind. @default "127.0.0.1" */
  host: z.string().min(1).default("127.0.0.1"),
  /** Milliseconds between heartbeat pings; 0 turns the heartbeat off. @default 25000 */
  heartbeatMs: z.number().int().min(0).max(3_600_000).default(25_000)
    .refine((ms) => ms === 0 || ms >= 50, "Must be 0 (off) or at least 50"),
  /** Directory of SKILL.md files loaded at start. @default undefined (none) */
  skillsDir: z.string().min(1).optional(),
  /** Largest inbound WebSocket frame or HTTP body, in bytes. @default 1048576 (1 MiB) */
  maxFrameBytes: z.number().int().min(1024).max(64 * MiB).default(MiB),
  /** Outbound bytes queued per connection before it is closed as a slow consumer. @default 8 MiB */
  maxBufferedBytes: z.number().int().min(64 * 1024).default(8 * MiB),
  /**
   * Where session streams live: `"memory"` (lost on exit), `"sqlite:PATH"` (one node) or
   * `"redis://[user:pass@]host:port[/db]"` / `"rediss://…"` (several nodes sharing Redis).
   * @default "sqlite:.data/switchboard.db"
   */
  store: z.string().regex(
    /^(memory|sqlite:.+|rediss?:\/\/[^\s/]+(\/\d+)?)$/,
    'Use "memory", "sqlite:PATH" or "redis://[user:pass@]host:port[/db]"',
  )
    .default("sqlite:.data/switchboard.db"),
  /** SQLite durability: `"full"` survives power loss, `"normal"` process crashes. @default "full" */
  storeSync: z.enum(["full", "normal"]).default("full"),
  /** Events kept per session; older ones are trimmed. @default 100000 */
  historyLimit: z.number().int().min(1).default(100_000),
  /** How long events are kept (ms or a duration string); 0 keeps them regardless of age. @default "7d" */
  historyMaxAge: durationSchema.prefault("7d"),

  /** HS256 secret; setting it (or a public key) turns authentication on. @default undefined */
  jwtSecret: z.string().min(16, "Use a secret of at least 16 characters").optional(),
  /** PEM public key file for RS256/ES256 tokens. @default undefined */
  jwtPublicKeyFile: z.string().min(1).optional(),
  /** Token signature algorithm. @default "HS256", or "RS256" with a public key file */
  jwtAlgorithm: z.enum(["HS256", "RS256", "ES256"]).optional(),
  /** Milliseconds a WebSocket may take to send its `auth` frame. @default 5000 */
  authTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  /** Allow binding a non-loopback host without authentication. @default false */
  insecure: z.boolean().default(false),
  /** Browser origins allowed besides the server's own; `*` for any. @default loopback only */
  allowedOrigins: z.array(z.string().min(1)).optional(),
  /** Frames per second per connection. @default 500 */
  frameRate: z.number().positive().default(500),
  /** Commands per second per connection. @default 20 */
  commandRate: z.number().positive().default(20),
  /** Frames per second across one token subject's connections. @default 2000 */
  subjectFrameRate: z.number().positive().default(2_000),
  /** Commands per second across one token subject's connections. @default 50 */
  subjectCommandRate: z.number().positive().default(50),
  /** Rate-limited frames within 10 s that close a connection. @default 200 */
  abuseLimit: z.number().int().min(1).default(200),
  /** Open WebSocket connections per client IP address. @default 1000 */
  maxConnectionsPerIp: z.number().int().min(1).default(1_000),
  /** Sessions one connection may subscribe to. @default 100 */
  maxSessionsPerConnection: z.number().int().min(1).default(100),
  /** Nesting depth of a frame's JSON. @default 32 */
  maxPayloadDepth: z.number().int().min(2).max(256).default(32),
  /** Longest event name. @default 128 */
  maxEventNameLength: z.number().int().min(8).max(128).default(128),
  /** Longest session id. @default 128 */
  maxSessionIdLength: z.number().int().min(8).max(128).default(128),
}).refine((c) => !(c.jwtSecret && c.jwtPublicKeyFile), {
  message: "Give either a JWT secret or a public key file, not both",
  path: ["jwtPublicKeyFile"],
}).refine((c) => c.jwtAlgorithm !== "HS256" || !c.jwtPublicKeyFile, {
  message: "A public key file needs RS256 or ES256",
  path: ["jwtAlgorithm"],
}).refine((c) => c.jwtAlgorithm === undefined || c.jwtAlgorithm === "HS256" || !c.jwtSecret, {
  message: "A shared secret is for HS256; RS256 and ES256 need --jwt-public-key",
  path: ["jwtAlgorithm"],
});

/** Whether `host` names a loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/** A complete, valid configuration. */
export type Config = z.infer<typeof configSchema>;

/** Settings as given: any subset, unvalidated. */
export type ConfigInput = z.input<typeof configSchema>;

/** Validates settings and fills in defaults; throws an `Error` naming the bad setting. */
export function resolveConfig(input: ConfigInput = {}): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid configuration: ${describeIssue(result.error)}`);
  const config = result.data;
  const authenticated = config.jwtSecret !== undefined || config.jwtPublicKeyFile !== undefined;
  if (!authenticated && !config.insecure && !isLoopbackHost(config.host)) {
    throw new Error(
      `Refusing to bind "${config.host}" without authentication: set SWITCHBOARD_JWT_SECRET ` +
        "(or --jwt-public-key), or pass --insecure to expose an open hub",
    );
  }
  return config;
}
