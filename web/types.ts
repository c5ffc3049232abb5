/**
 * @module The REST shapes the page reads (see docs/PROTOCOL.md, "REST API").
 */
import type { ExecutionState, Role } from "../client/protocol.ts";

/** A session in `GET /api/sessions`. */
export interface SessionSummary {
  id: string;
  state: ExecutionState;
  headSeq: number;
  epoch: string;
  subscribers: number;
  createdAt: string;
  lastEventAt?: string | null;
  eventsPerSecond?: number;
  openDecisionCount?: number;
}

/** An open decision point. */
export interface OpenDecision {
  decisionId: string;
  question: string;
  options: string[];
  default?: string;
}

/** `GET /api/sessions/:id`. */
export interface SessionInfo extends Omit<SessionSummary, "subscribers"> {
  metadata: Record<string, unknown>;
  subscribers: Record<Role | "total", number>;
  attached: { id: string; role: Role }[];
  openDecisions: OpenDecision[];
  checkpoints: { checkpointId: string; label?: string }[];
  pendingCommands: { commandId: string; type: string }[];
  /** Token totals per model (`agent:usage`), and their sum. */
  usage?: { byModel: UsageTotals[]; total: Omit<UsageTotals, "model"> };
}

/** One model's token totals in a session. */
export interface UsageTotals {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  calls: number;
}

/** `GET /health`. */
export interface Health {
  status: string;
  version: string;
  uptimeS: number;
  activeSessions: number;
  connectedClients: number;
}

/** `GET /api/stats`. */
export interface Stats {
  connections: { total: number; byRole: Record<Role, number>; bySession: Record<string, number> };
  traffic: { eventsIn: number; framesOut: number; framesIn: number };
  rtt: {
    p50: number | null;
    p99: number | null;
    connections: { id: string; role: Role; lastMs: number | null; smoothedMs: number | null }[];
  };
}

/** A skill in `GET /api/skills`. */
export interface Skill {
  name: string;
  description: string;
  category?: string;
}
