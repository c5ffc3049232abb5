/**
 * @module The event catalogue: every session event a client may publish, its payload schema
 * and who may publish it. Payloads are open objects: named fields are checked, extra fields are
 * kept, so orchestrators can attach their own context. The seeds' spellings of these payloads are
 * mapped to them in `aliases.ts`.
 */
import { z } from "zod";
import { aguiEventSchema } from "./agui_event.ts";
import type { Role } from "./envelope.ts";

const text = z.string().min(1);
const json = z.record(z.string(), z.unknown());
const percent = z.number().min(0).max(100);
const tokens = z.number().int().min(0).safe();

const skill = { skill: text };
const file = { path: text };
const agent = { agentId: text };
/** Agent events may name their agent and (seed 004) the workflow they belong to. */
const optionalAgent = { agentId: text.optional(), workflowId: text.optional() };

/** Payload schemas for the publishable session events. */
export const EVENT_SCHEMAS = {
  "skill:started": z.looseObject({ ...skill, parameters: json.optional() }),
  "skill:completed": z.looseObject({ ...skill, result: z.unknown().optional() }),
  "skill:failed": z.looseObject({ ...skill, error: text }),
  "skill:progress": z.looseObject({
    ...skill,
    percent: percent.optional(),
    message: z.string().optional(),
  }),
  "file:created": z.looseObject(file),
  "file:modified": z.looseObject({ ...file, linesChanged: z.number().int().min(0).optional() }),
  "file:deleted": z.looseObject(file),
  "decision:point": z.looseObject({
    decisionId: text,
    question: text,
    options: z.array(text).min(1).max(100),
    default: text.optional(),
  }),
  "decision:made": z.looseObject({ decisionId: text, choice: text }),
  "validation:started": z.looseObject({ name: text }),
  "validation:result": z.looseObject({ name: text, passed: z.boolean() }),
  "agent:spawned": z.looseObject(agent),
  "agent:progress": z.looseObject({
    ...agent,
    percent: percent.optional(),
    message: z.string().optional(),
  }),
  "agent:completed": z.looseObject({ ...agent, result: z.unknown().optional() }),
  "agent:thought": z.looseObject({ ...optionalAgent, content: text }),
  "agent:tool_call": z.looseObject({
    ...optionalAgent,
    tool: text,
    arguments: z.unknown().optional(),
    status: z.string().optional(),
    message: z.string().optional(),
  }),
  "agent:result": z.looseObject({ ...optionalAgent, result: z.unknown() }),
  "agent:error": z.looseObject({
    ...optionalAgent,
    message: text,
    code: z.string().optional(),
    details: z.unknown().optional(),
  }),
  "agent:usage": z.looseObject({
    model: text,
    inputTokens: tokens,
    outputTokens: tokens,
    cachedInputTokens: tokens.optional(),
    cacheWriteInputTokens: tokens.optional(),
    reasoningTokens: tokens.optional(),
    provider: z.string().optional(),
  }),
  "execution:started": z.looseObject({ task: z.string().optional() }),
  "execution:completed": z.looseObject({ result: z.unknown().optional() }),
  "execution:failed": z.looseObject({ error: text }),
  "execution:halted": z.looseObject({ reason: z.string().optional() }),
  "execution:resumed": z.looseObject({}),
  "execution:rollback_started": z.looseObject({ checkpointId: text }),
  "execution:rollback_completed": z.looseObject({ checkpointId: text }),
  "execution:rollback_failed": z.looseObject({ checkpointId: text, error: text }),
  "checkpoint:created": z.looseObject({ checkpointId: text, label: z.string().optional() }),
  "chat:message": z.looseObject({ text: text, author: z.string().optional() }),
  "command:applied": z.looseObject({
    commandId: text,
    ok: z.boolean().optional(),
    message: z.string().optional(),
  }),
  "ag-ui:event": aguiEventSchema,
} as const;

/** Name of a catalogued (non-custom) publishable event. */
export type CatalogEventName = keyof typeof EVENT_SCHEMAS;

/** Payload type of each catalogued event. */
export type EventPayloads = { [K in CatalogEventName]: z.infer<typeof EVENT_SCHEMAS[K]> };

/** The prefix of free-form events: `custom:<name>` carries any JSON object. */
export const CUSTOM_PREFIX = "custom:";

const customPayload = z.record(z.string(), z.unknown());

/** Events dashboards may publish too; every other session event is the orchestrator's. */
const DASHBOARD_EVENTS: ReadonlySet<string> = new Set(["chat:message"]);

/** Whether `name` is a publishable session event (catalogued or `custom:<name>`). */
export function isPublishableEvent(name: string): boolean {
  return Object.hasOwn(EVENT_SCHEMAS, name) || isCustomEvent(name);
}

/** Whether `name` is a free-form `custom:<name>` event (no catalogued name starts so). */
export function isCustomEvent(name: string): boolean {
  return name.length > CUSTOM_PREFIX.length && name.startsWith(CUSTOM_PREFIX);
}

/** The payload schema for a publishable event, or `undefined` when the event is unknown. */
export function eventSchema(name: string): z.ZodType<Record<string, unknown>> | undefined {
  if (Object.hasOwn(EVENT_SCHEMAS, name)) return EVENT_SCHEMAS[name as CatalogEventName];
  return isPublishableEvent(name) ? customPayload : undefined;
}

/** Whether a connection of `role` may publish `event`. */
export function mayPublish(role: Role, event: string): boolean {
  return role !== "dashboard" || DASHBOARD_EVENTS.has(event);
}
