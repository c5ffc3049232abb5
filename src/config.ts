/**
 * @module Server configuration: one zod schema with documented defaults. Invalid values fail
 * at start-up with a message naming the setting.
 */
import { z } from "zod";
import { describeIssue } from "./protocol/validate.ts";

const MiB = 1024 * 1024;

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
  /** Events kept per session by the memory store. @default 10000 */
  historyLimit: z.number().int().min(1).default(10_000),
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
