/**
 * @module The commands dashboards send to steer a session, and the result they get back.
 */
import { z } from "zod";

const text = z.string().min(1);
const idempotencyKey = z.string().min(1).max(128).optional();

/** Each command's payload, discriminated by `type`. */
export const commandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("HALT"), reason: z.string().max(1000).optional(), idempotencyKey }),
  z.object({ type: z.literal("RESUME"), idempotencyKey }),
  z.object({
    type: z.literal("ROLLBACK"),
    steps: z.number().int().min(1).optional(),
    checkpointId: text.optional(),
    idempotencyKey,
  }).refine((c) => (c.steps === undefined) !== (c.checkpointId === undefined), {
    message: "Give exactly one of steps (>= 1) or checkpointId",
  }),
  z.object({
    type: z.literal("REDIRECT"),
    instruction: text,
    target: text.optional(),
    idempotencyKey,
  }),
  z.object({ type: z.literal("DECISION"), decisionId: text, choice: text, idempotencyKey }),
  z.object({
    type: z.literal("INJECT"),
    skill: text,
    parameters: z.record(z.string(), z.unknown()).optional(),
    idempotencyKey,
  }),
]);

/** A validated command. */
export type Command = z.infer<typeof commandSchema>;

/** The command names. */
export type CommandType = Command["type"];

/** Every command name, in the order the docs list them. */
export const COMMAND_TYPES: readonly CommandType[] = [
  "HALT",
  "RESUME",
  "ROLLBACK",
  "REDIRECT",
  "DECISION",
  "INJECT",
];

/** The execution states a session moves through. */
export const executionStateSchema = z.enum(["idle", "running", "halted", "completed", "failed"]);

/** A session's execution state. */
export type ExecutionState = z.infer<typeof executionStateSchema>;

/** What an accepted command reports back (`command:result` payload and REST body). */
export interface CommandResult {
  /** Always `true` here; failures travel as coded errors. */
  success: true;
  /** The command's type. */
  command: CommandType;
  /** Server-assigned id, also in the appended `command` event. */
  commandId: string;
  /** The session's execution state after the command. */
  state: ExecutionState;
  /** Seq of the appended `command` event. */
  seq: number;
}
