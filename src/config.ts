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
export const configSchema = z.object({
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
   * Where session streams live: `"memory"` (lost on exit) or `"sqlite:PATH"`.
   * @default "sqlite:.data/switchboard.db"
   */
  store: z.string().regex(/^(memory|sqlite:.+)$/, 'Use "memory" or "sqlite:PATH"')
    .default("sqlite:.data/switchboard.db"),
  /** SQLite durability: `"full"` survives power loss, `"normal"` process crashes. @default "full" */
  storeSync: z.enum(["full", "normal"]).default("full"),
  /** Events kept per session; older ones are trimmed. @default 100000 */
  historyLimit: z.number().int().min(1).default(100_000),
  /** How long events are kept (ms or a duration string); 0 keeps them regardless of age. @default "7d" */
  historyMaxAge: durationSchema.prefault("7d"),
});

/** A complete, valid configuration. */
export type Config = z.infer<typeof configSchema>;

/** Settings as given: any subset, unvalidated. */
export type ConfigInput = z.input<typeof configSchema>;

/** Validates settings and fills in defaults; throws an `Error` naming the bad setting. */
export function resolveConfig(input: ConfigInput = {}): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid configuration: ${describeIssue(result.error)}`);
  return result.data;
}
