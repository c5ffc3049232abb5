/**
 * @module Plain-object views of sessions for the REST API.
 */
import type { ExecutionState } from "../protocol/commands.ts";
import type { Role } from "../protocol/envelope.ts";
import type { Activity } from "./activity.ts";
import type { Checkpoint, OpenDecision, PendingCommand, UsageTotals } from "./execution.ts";
import type { Session } from "./session.ts";

/** A session in a list. */
export interface SessionSummary {
  id: string;
  state: ExecutionState;
  headSeq: number;
  epoch: string;
  subscribers: number;
  createdAt: string;
  /** Time of the last event appended since the server started (ISO); `null` if none. */
  lastEventAt: string | null;
  /** Events appended per second, recently. */
  eventsPerSecond: number;
  /** Number of open decision points. */
  openDecisionCount: number;
}

/** Everything the hub knows about one session. */
export interface SessionInfo extends Omit<SessionSummary, "subscribers"> {
  metadata: Record<string, unknown>;
  subscribers: Record<Role | "total", number>;
  /** Who is attached now (presence). */
  attached: { id: string; role: Role }[];
  openDecisions: OpenDecision[];
  checkpoints: Checkpoint[];
  /** Commands accepted but not yet reported applied by an orchestrator. */
  pendingCommands: PendingCommand[];
  /** Token totals per model (`agent:usage`), and their sum over every model. */
  usage: { byModel: UsageTotals[]; total: Omit<UsageTotals, "model"> };
}

const NO_ACTIVITY: Activity = { lastEventAt: null, eventsPerSecond: 0 };

/** Summarizes a session for lists. */
export function summarize(session: Session, activity: Activity = NO_ACTIVITY): SessionSummary {
  const { lastEventAt, eventsPerSecond } = activity;
  return {
    id: session.id,
    state: session.execution.state,
    headSeq: session.publishedSeq,
    epoch: session.epoch,
    subscribers: session.subscribers.size,
    createdAt: new Date(session.createdAt).toISOString(),
    lastEventAt: lastEventAt === null ? null : new Date(lastEventAt).toISOString(),
    eventsPerSecond,
    openDecisionCount: session.execution.decisions.size,
  };
}

/** Describes a session in full. */
export function describeSession(
  session: Session,
  activity: Activity = NO_ACTIVITY,
): SessionInfo {
  const subscribers = { total: 0, orchestrator: 0, dashboard: 0, admin: 0 };
  const attached = [];
  for (const connection of session.subscribers.keys()) {
    subscribers.total++;
    subscribers[connection.role]++;
    attached.push({ id: connection.id, role: connection.role });
  }
  return {
    ...summarize(session, activity),
    metadata: session.metadata,
    subscribers,
    attached,
    openDecisions: structuredClone([...session.execution.decisions.values()]),
    checkpoints: structuredClone(session.execution.checkpoints),
    pendingCommands: [...session.execution.pendingCommands.values()].map((c) => ({ ...c })),
    usage: describeUsage([...session.execution.usage.values()]),
  };
}

function describeUsage(byModel: UsageTotals[]): SessionInfo["usage"] {
  const total = {
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: 0,
    calls: 0,
  };
  for (const u of byModel) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += u[key];
  }
  return { byModel: byModel.map((u) => ({ ...u })), total };
}
