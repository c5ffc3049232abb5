/**
 * @module Every HTTP route, described for the OpenAPI document: what it does, who may call it,
 * and the zod schemas that validate its input (the very ones the handlers parse with). A test
 * checks that every route the app registers is listed here.
 */
import { z } from "zod";
import { lastEventIdSchema } from "../agui/routes.ts";
import { approvalPolicySchema } from "../hooks/approval_policy.ts";
import { commandSchema } from "../protocol/commands.ts";
import { createSessionSchema } from "../routes/sessions.ts";
import { pageQuerySchema } from "../routes/session_events.ts";
import { querySchema as longPollQuerySchema } from "../routes/long_poll.ts";
import { querySchema as streamQuerySchema } from "../sse/stream_route.ts";
import { skillQuerySchema } from "../routes/skills.ts";
import { skillSchema } from "../skills/skill.ts";

/** Who may call a route. */
export type Access = "public" | "token" | "admin" | "metrics";

/** One route as documented. */
export interface ApiRoute {
  /** Lowercase HTTP method. */
  method: "get" | "post" | "put" | "delete";
  /** Hono path, `:param` style. */
  path: string;
  /** One line. */
  summary: string;
  /** More, in Markdown. */
  description?: string;
  /** Group in the reference. */
  tag: "Sessions" | "Events" | "Agents" | "Skills" | "Operations" | "Transport";
  /** Who may call it. */
  access: Access;
  /** Query parameters, as the handler parses them. */
  query?: z.ZodObject;
  /**
   * JSON body: a zod schema, a `$ref` into the components (schemas generated from zod), or the
   * name of a format another project defines and validates (AG-UI's, Claude Code's).
   */
  body?: z.ZodType | { ref: string } | { external: string };
  /** Success statuses with descriptions, and the content type when not JSON. */
  responses: Record<number, string>;
  /** Content type of the success response. @default "application/json" */
  produces?: string;
}

/** The documented routes. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "get",
    path: "/health",
    summary: "Liveness, with `degraded` and a reason while the store is failing",
    tag: "Operations",
    access: "public",
    responses: { 200: "Alive: `status` is `healthy` or `degraded` (with `reason`)." },
  },
  {
    method: "get",
    path: "/ready",
    summary: "Readiness: 503 while starting or shutting down",
    tag: "Operations",
    access: "public",
    responses: { 200: "Serving.", 503: "Starting, draining or stopped (`phase`)." },
  },
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics",
    description: "Needs an admin token when authentication is on, unless `--metrics-public`.",
    tag: "Operations",
    access: "metrics",
    produces: "text/plain",
    responses: { 200: "Prometheus text exposition format 0.0.4." },
  },
  {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    tag: "Operations",
    access: "public",
    responses: { 200: "OpenAPI 3.1." },
  },
  {
    method: "get",
    path: "/docs",
    summary: "The API reference, rendered from this document",
    tag: "Operations",
    access: "public",
    produces: "text/html",
    responses: { 200: "An HTML page." },
  },
  {
    method: "get",
    path: "/",
    summary: "The dashboard page",
    tag: "Transport",
    access: "public",
    produces: "text/html",
    responses: { 200: "The page." },
  },
  {
    method: "get",
    path: "/dashboard.js",
    summary: "The dashboard's script bundle",
    tag: "Transport",
    access: "public",
    produces: "text/javascript",
    responses: { 200: "The bundle.", 503: "Not built (`CLIENT_NOT_BUILT`)." },
  },
  {
    method: "get",
    path: "/dashboard.css",
    summary: "The dashboard's styles",
    tag: "Transport",
    access: "public",
    produces: "text/css",
    responses: { 200: "The styles." },
  },
  {
    method: "get",
    path: "/api/sessions/:id/stream",
    summary: "A session as Server-Sent Events, resumable with Last-Event-ID",
    description: "`id: <seq>` lines; a comment every 15 s keeps proxies from closing a quiet " +
      "stream. Browsers authenticate with `?ticket=` from `POST /api/stream-tickets`.",
    tag: "Transport",
    access: "token",
    produces: "text/event-stream",
    query: streamQuerySchema,
    responses: { 200: "The session's events as server-sent events." },
  },
  {
    method: "post",
    path: "/api/stream-tickets",
    summary: "Trade the caller's credentials for a one-time stream ticket",
    tag: "Transport",
    access: "token",
    responses: { 201: "`{success, ticket, expiresAt}`." },
  },
  {
    method: "get",
    path: "/client.js",
    summary: "The browser client bundle (ES module)",
    tag: "Transport",
    access: "public",
    produces: "text/javascript",
    responses: { 200: "The bundle.", 503: "Not built (`CLIENT_NOT_BUILT`)." },
  },
  {
    method: "get",
    path: "/ws",
    summary: "WebSocket endpoint",
    description: "Upgrade with `?session=&role=&lastSeq=&epoch=&events=`; the frames are in " +
      "`docs/protocol.schema.json` and `docs/PROTOCOL.md`.",
    tag: "Transport",
    access: "token",
    responses: { 101: "Switching protocols." },
  },
  {
    method: "get",
    path: "/api/sessions",
    summary: "List the sessions the caller has a grant for",
    tag: "Sessions",
    access: "token",
    responses: {
      200: "`{success, sessions: [{id, state, headSeq, epoch, subscribers, createdAt}]}`.",
    },
  },
  {
    method: "post",
    path: "/api/sessions",
    summary: "Create a session",
    tag: "Sessions",
    access: "token",
    body: createSessionSchema,
    responses: { 201: "`{success, session}`." },
  },
  {
    method: "get",
    path: "/api/sessions/:id",
    summary: "Describe a session: state, head, decisions, checkpoints",
    tag: "Sessions",
    access: "token",
    responses: { 200: "`{success, session}`." },
  },
  {
    method: "delete",
    path: "/api/sessions/:id",
    summary: "Delete a session and its history",
    tag: "Sessions",
    access: "token",
    responses: { 200: "`{success: true}`." },
  },
  {
    method: "post",
    path: "/api/sessions/:id/events",
    summary: "Publish one event or an array of 1 to 1000",
    tag: "Events",
    access: "token",
    body: { ref: "PublishBody" },
    responses: { 201: "`{success, seqs}`: the stored events' seqs." },
  },
  {
    method: "get",
    path: "/api/sessions/:id/events",
    summary: "Page through a session's stored events",
    tag: "Events",
    access: "token",
    description: "With `wait` (seconds), a long poll: the answer waits until an event after " +
      "`after` exists or the time is up.",
    query: pageQuerySchema.extend(longPollQuerySchema.shape),
    responses: { 200: "`{success, events, headSeq, nextAfter}`." },
  },
  {
    method: "post",
    path: "/api/sessions/:id/commands",
    summary: "Send a command (HALT, RESUME, ROLLBACK, REDIRECT, DECISION, INJECT)",
    description: "An `Idempotency-Key` header stands for `idempotencyKey` in the body.",
    tag: "Events",
    access: "token",
    body: commandSchema,
    responses: { 200: "`{success, command, commandId, state, seq}`." },
  },
  {
    method: "post",
    path: "/api/hooks/claude-code",
    summary: "A Claude Code hook (any hook event), answered with Claude Code's hook output",
    description: "The session is `?session=` or `claude-<session_id>`. A `PreToolUse` for a " +
      "tool the session's approval policy names waits for a DECISION.",
    tag: "Agents",
    access: "token",
    query: z.object({ session: z.string().optional() }),
    body: { external: "A Claude Code hook input (JSON object with `hook_event_name`)." },
    responses: { 200: "`{}`, or a hook decision." },
  },
  {
    method: "get",
    path: "/api/sessions/:id/approval-policy",
    summary: "The session's Claude Code approval policy",
    tag: "Agents",
    access: "token",
    responses: { 200: "`{success, policy}` (`null` when none)." },
  },
  {
    method: "put",
    path: "/api/sessions/:id/approval-policy",
    summary: "Set which Claude Code tools wait for a DECISION",
    tag: "Agents",
    access: "token",
    body: approvalPolicySchema,
    responses: { 200: "`{success, policy}`." },
  },
  {
    method: "delete",
    path: "/api/sessions/:id/approval-policy",
    summary: "Remove the session's approval policy",
    tag: "Agents",
    access: "token",
    responses: { 200: "`{success, deleted}`." },
  },
  {
    method: "post",
    path: "/api/sessions/:id/ag-ui/events",
    summary: "Publish AG-UI events (one or an array), stored as `ag-ui:event`",
    tag: "Agents",
    access: "token",
    body: { external: "An AG-UI event, or an array of them (validated by @ag-ui/core)." },
    responses: { 201: "`{success, seqs}`." },
  },
  {
    method: "post",
    path: "/api/sessions/:id/ag-ui",
    summary: "AG-UI out for HttpAgent: a RunAgentInput answered as an event stream",
    description: "A `resume[]` entry answering an interrupt becomes a DECISION command.",
    tag: "Agents",
    access: "token",
    produces: "text/event-stream",
    body: { external: "An AG-UI `RunAgentInput` (validated by @ag-ui/core)." },
    responses: { 200: "AG-UI events as server-sent events." },
  },
  {
    method: "get",
    path: "/api/sessions/:id/ag-ui",
    summary: "The session as a live AG-UI event stream, resumable with Last-Event-ID",
    tag: "Agents",
    access: "token",
    produces: "text/event-stream",
    query: z.object({ lastEventId: lastEventIdSchema.optional() }),
    responses: { 200: "AG-UI events as server-sent events, `id: <seq>` lines." },
  },
  {
    method: "get",
    path: "/api/skills",
    summary: "Search the skill registry",
    tag: "Skills",
    access: "token",
    query: skillQuerySchema,
    responses: { 200: "`{success, skills}`." },
  },
  {
    method: "get",
    path: "/api/skills/:name",
    summary: "Read one skill",
    tag: "Skills",
    access: "token",
    responses: { 200: "`{success, skill}`." },
  },
  {
    method: "put",
    path: "/api/skills/:name",
    summary: "Register or replace a skill (admins)",
    tag: "Skills",
    access: "admin",
    // The name comes from the path; a name in the body must match it.
    body: skillSchema.partial({ name: true }),
    responses: { 200: "Replaced: `{success, skill}`.", 201: "Created: `{success, skill}`." },
  },
  {
    method: "get",
    path: "/api/stats",
    summary: "Connections, traffic and round-trip times",
    tag: "Operations",
    access: "token",
    responses: { 200: "`{success, connections, traffic, rtt}`." },
  },
];
