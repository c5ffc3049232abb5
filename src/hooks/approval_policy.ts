/**
 * @module Approval policies: per session, which Claude Code tools wait for a human's DECISION
 * before they run, how long, and what is answered when nobody decides. Kept in memory (a
 * restart forgets them) and bounded in number.
 */
import { z } from "zod";
import { BoundedMap } from "../hub/bounded_map.ts";

/** Sessions with a policy at once; setting one more forgets the oldest. */
const MAX_POLICIES = 10_000;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** `PUT /api/sessions/:id/approval-policy` body. */
export const approvalPolicySchema = z.strictObject({
  /** Tool names needing approval: a regular expression matched against the whole name, as
   * Claude Code's own `matcher` (`Bash|Write|Edit`, `mcp__.*`); `*` for every tool. */
  tools: z.string().min(1).max(500).refine(
    (p) => p === "*" || compiles(p),
    "Must be a valid regular expression, or *",
  ),
  /** Milliseconds to wait for a DECISION; the server setting when left out. */
  timeoutMs: z.number().int().min(100).max(590_000).optional(),
  /** What is answered when nobody decides in time. */
  default: z.enum(["allow", "deny"]).default("deny"),
});

/** A session's approval policy as set. */
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** A policy with its compiled matcher. */
export interface ActivePolicy extends ApprovalPolicy {
  /** Whether `tool` needs approval. */
  matches(tool: string): boolean;
}

/** The policies of every session. */
export class ApprovalPolicies {
  readonly #policies = new BoundedMap<string, ActivePolicy>(MAX_POLICIES);

  /** Sets (or replaces) the policy of `session`. */
  set(session: string, policy: ApprovalPolicy): void {
    const pattern = policy.tools === "*" ? /^/ : new RegExp(`^(?:${policy.tools})$`);
    this.#policies.set(session, { ...policy, matches: (tool) => pattern.test(tool) });
  }

  /** The policy of `session`, if any. */
  get(session: string): ActivePolicy | undefined {
    return this.#policies.get(session);
  }

  /** Removes the policy of `session`; `false` when it had none. */
  delete(session: string): boolean {
    return this.#policies.delete(session);
  }
}

/** The policy as shown over REST (without its matcher). */
export function describePolicy(policy: ActivePolicy): ApprovalPolicy {
  const { matches: _matches, ...shown } = policy;
  return shown;
}
