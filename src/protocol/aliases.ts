/**
 * @module The seeds' spellings of catalogued payloads (`skill_name`, `lines_changed`,
 * `decision_id`, seed 004's `{type, workflowId, data: {...}, timestamp}` agent events, ...) and
 * their normalisation: the canonical fields are added beside what the publisher sent, so a
 * payload written for the seeds is accepted byte for byte and every subscriber still reads one
 * canonical shape per event.
 */
import { z } from "zod";

/** A field the canonical payload gets from another field of the same payload. */
type Rename = readonly [from: string, to: string];

/**
 * How one event's seed spelling maps to the canonical one: `fields` copy a top-level field,
 * `data` copy a field of the nested `data` object (seed 004), `dataAs` copies `data` whole.
 */
interface SeedSpelling {
  fields?: readonly Rename[];
  data?: readonly Rename[];
  dataAs?: string;
}

const skill: SeedSpelling = { fields: [["skill_name", "skill"]] };
const checkpoint: SeedSpelling = { fields: [["checkpoint_id", "checkpointId"]] };
const agent: readonly Rename[] = [["agent_id", "agentId"], ["workflow_id", "workflowId"]];

/** Per catalogued event: where its canonical fields come from in the seeds' spelling. */
export const SEED_SPELLINGS: Readonly<Record<string, SeedSpelling>> = {
  "skill:started": skill,
  "skill:completed": skill,
  "skill:failed": skill,
  "skill:progress": skill,
  "file:modified": { fields: [["lines_changed", "linesChanged"]] },
  "decision:point": { fields: [["decision_id", "decisionId"]] },
  "decision:made": { fields: [["decision_id", "decisionId"]] },
  "checkpoint:created": checkpoint,
  "execution:rollback_started": checkpoint,
  "execution:rollback_completed": checkpoint,
  "execution:rollback_failed": checkpoint,
  "command:applied": { fields: [["command_id", "commandId"]] },
  "agent:spawned": { fields: agent },
  "agent:progress": { fields: agent },
  "agent:completed": { fields: agent },
  "agent:thought": { fields: agent, data: [["content", "content"]] },
  "agent:tool_call": {
    fields: agent,
    data: [["tool_name", "tool"], ["arguments", "arguments"], ["status", "status"], [
      "message",
      "message",
    ]],
  },
  "agent:result": { fields: agent, dataAs: "result" },
  "agent:error": {
    fields: agent,
    data: [["code", "code"], ["message", "message"], ["details", "details"]],
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Adds the canonical fields a seed-spelled payload implies, keeping every field as sent. A
 * canonical field the publisher set itself wins; anything that is not an object is returned
 * unchanged for the schema to refuse. Payloads already in canonical form are not copied.
 */
export function normalizeSeedPayload(event: string, payload: unknown): unknown {
  const spelling = SEED_SPELLINGS[event];
  if (spelling === undefined || !isObject(payload)) return payload;
  let out: Record<string, unknown> | undefined;
  const add = (to: string, value: unknown) => {
    if (value === undefined || (out ?? payload)[to] !== undefined) return;
    out ??= { ...payload };
    out[to] = value;
  };
  for (const [from, to] of spelling.fields ?? []) add(to, payload[from]);
  const data = payload.data;
  if (isObject(data)) {
    for (const [from, to] of spelling.data ?? []) add(to, data[from]);
    if (spelling.dataAs !== undefined) add(spelling.dataAs, data);
  }
  return out ?? payload;
}

const text = z.string().min(1);
const json = z.record(z.string(), z.unknown());
const seed004 = <L extends string, T extends z.ZodType>(type: L, data: T) =>
  z.looseObject({
    type: z.literal(type).optional(),
    workflowId: text.optional(),
    workflow_id: text.optional(),
    data,
    timestamp: z.string().optional(),
  });

/**
 * The seeds' spellings as publishers may send them (types only: the gate validates the
 * canonical form after {@linkcode normalizeSeedPayload}).
 */
export const SEED_SCHEMAS = {
  "skill:started": z.looseObject({ skill_name: text, parameters: json.optional() }),
  "skill:completed": z.looseObject({ skill_name: text, result: z.unknown().optional() }),
  "skill:failed": z.looseObject({ skill_name: text, error: text }),
  "skill:progress": z.looseObject({
    skill_name: text,
    percent: z.number().optional(),
    message: z.string().optional(),
  }),
  "file:modified": z.looseObject({
    path: text,
    lines_changed: z.number().int().min(0).optional(),
  }),
  "decision:point": z.looseObject({
    decision_id: text,
    question: text,
    options: z.array(text),
    default: text.optional(),
  }),
  "decision:made": z.looseObject({ decision_id: text, choice: text }),
  "checkpoint:created": z.looseObject({ checkpoint_id: text, label: z.string().optional() }),
  "execution:rollback_started": z.looseObject({ checkpoint_id: text }),
  "execution:rollback_completed": z.looseObject({ checkpoint_id: text }),
  "execution:rollback_failed": z.looseObject({ checkpoint_id: text, error: text }),
  "agent:thought": seed004("thought", z.looseObject({ content: text })),
  "agent:tool_call": seed004(
    "tool_call",
    z.looseObject({
      tool_name: text,
      status: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  "agent:result": seed004("result", json),
  "agent:error": seed004(
    "error",
    z.looseObject({ code: z.string().optional(), message: text, details: z.unknown().optional() }),
  ),
} as const;

/** Name of an event that has a seed spelling besides its canonical one. */
export type SeedEventName = keyof typeof SEED_SCHEMAS;

/** Payload type of each event in the seeds' spelling (what a seed orchestrator sends). */
export type SeedEventPayloads = { [K in SeedEventName]: z.infer<typeof SEED_SCHEMAS[K]> };
