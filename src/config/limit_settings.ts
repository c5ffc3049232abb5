/**
 * @module The limits part of the settings table: inbound rates by role, abuse closes, caps and
 * sizes. Orchestrators (and admins) publish fast, so their rates are separate from dashboards'.
 */
import { z } from "zod";
import { setting } from "./_setting.ts";

const rate = (fallback: number) => z.number().positive().default(fallback);

/** Rate and size limits, keyed by configuration field name. */
export const LIMIT_SETTINGS = {
  frameRate: setting({
    flag: "frame-rate",
    env: "SWITCHBOARD_FRAME_RATE",
    kind: "number",
    arg: "N",
    schema: rate(500),
    shownDefault: "500",
    help: "frames/s per dashboard connection",
    doc: "Frames per second per dashboard connection (bursts of twice as many).",
  }),
  orchestratorFrameRate: setting({
    flag: "orchestrator-frame-rate",
    env: "SWITCHBOARD_ORCHESTRATOR_FRAME_RATE",
    kind: "number",
    arg: "N",
    schema: rate(10_000),
    shownDefault: "10000",
    help: "frames/s per orchestrator or admin connection",
    doc: "Frames per second per orchestrator or admin connection (bursts of twice as many): " +
      "enough for an agent streaming tokens.",
  }),
  commandRate: setting({
    flag: "command-rate",
    env: "SWITCHBOARD_COMMAND_RATE",
    kind: "number",
    arg: "N",
    schema: rate(20),
    shownDefault: "20",
    help: "commands/s per connection",
    doc: "Commands per second per connection (bursts of twice as many).",
  }),
  subjectFrameRate: setting({
    flag: "subject-frame-rate",
    env: "SWITCHBOARD_SUBJECT_FRAME_RATE",
    kind: "number",
    arg: "N",
    schema: rate(2_000),
    shownDefault: "2000",
    help: "frames/s per dashboard token subject",
    doc: "Frames per second across all connections and REST calls of one dashboard token " +
      "subject (`sub`).",
  }),
  orchestratorSubjectFrameRate: setting({
    flag: "orchestrator-subject-frame-rate",
    env: "SWITCHBOARD_ORCHESTRATOR_SUBJECT_FRAME_RATE",
    kind: "number",
    arg: "N",
    schema: rate(20_000),
    shownDefault: "20000",
    help: "frames/s per orchestrator or admin subject",
    doc: "Frames per second across all connections and REST calls of one orchestrator or admin " +
      "token subject.",
  }),
  subjectCommandRate: setting({
    flag: "subject-command-rate",
    env: "SWITCHBOARD_SUBJECT_COMMAND_RATE",
    kind: "number",
    arg: "N",
    schema: rate(50),
    shownDefault: "50",
    help: "commands/s per token subject",
    doc: "Commands per second across all connections of one token subject.",
  }),
  abuseLimit: setting({
    flag: "abuse-limit",
    env: "SWITCHBOARD_ABUSE_LIMIT",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(1).default(200),
    shownDefault: "200",
    help: "rate-limited frames in 10 s that close a dashboard",
    doc: "A dashboard connection with more rate-limited frames than this within 10 s is closed " +
      "(4102).",
  }),
  orchestratorAbuseLimit: setting({
    flag: "orchestrator-abuse-limit",
    env: "SWITCHBOARD_ORCHESTRATOR_ABUSE_LIMIT",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(1).default(50_000),
    shownDefault: "50000",
    help: "rate-limited frames in 10 s that close an orchestrator",
    doc: "An orchestrator or admin connection is closed (4102) only after more rate-limited " +
      "frames than this within 10 s; before that it gets `RATE_LIMITED` acks it can retry.",
  }),
  maxConnectionsPerIp: setting({
    flag: "max-connections-per-ip",
    env: "SWITCHBOARD_MAX_CONNECTIONS_PER_IP",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(1).default(1_000),
    shownDefault: "1000",
    help: "open WebSockets per client address (not loopback)",
    doc: "Open WebSockets per client IP address; more are refused with HTTP 429. Loopback " +
      "addresses are exempt (the host itself, or a local proxy); behind a proxy set " +
      "`--trust-proxy` so each client is counted under its own address.",
  }),
  maxSessionsPerConnection: setting({
    flag: "max-sessions-per-connection",
    env: "SWITCHBOARD_MAX_SESSIONS_PER_CONNECTION",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(1).default(100),
    shownDefault: "100",
    help: "sessions one connection may hold",
    doc: "Sessions one connection may be subscribed to at once.",
  }),
  maxPayloadDepth: setting({
    flag: "max-payload-depth",
    env: "SWITCHBOARD_MAX_PAYLOAD_DEPTH",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(2).max(256).default(32),
    shownDefault: "32",
    help: "JSON nesting depth of a payload",
    doc: "Deepest JSON nesting of an event's or command's payload, on every way in (2 to 256).",
  }),
  maxEventNameLength: setting({
    flag: "max-event-name-length",
    env: "SWITCHBOARD_MAX_EVENT_NAME_LENGTH",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(8).max(128).default(128),
    shownDefault: "128",
    help: "longest event name",
    doc: "Longest event name, on every way in (8 to 128).",
  }),
  maxSessionIdLength: setting({
    flag: "max-session-id-length",
    env: "SWITCHBOARD_MAX_SESSION_ID_LENGTH",
    kind: "number",
    arg: "N",
    schema: z.number().int().min(8).max(128).default(128),
    shownDefault: "128",
    help: "longest session id",
    doc: "Longest session id, on every way in: frames, the `/ws` URL and REST paths (8 to 128).",
  }),
};
