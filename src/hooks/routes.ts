/**
 * @module `POST /api/hooks/claude-code` and `/api/sessions/:id/approval-policy`: the thin HTTP
 * edge of the Claude Code steering. The hook's session is `?session=` or `claude-<session_id>`,
 * checked by the gate like every session id.
 */
import { Hono } from "hono";
import type { EdgeContext } from "../app.ts";
import { authorize } from "../hub/access.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { parseOrThrow } from "../protocol/validate.ts";
import type { ApiEnv } from "../routes/_auth.ts";
import { readJson } from "../routes/_respond.ts";
import { approvalPolicySchema, describePolicy } from "./approval_policy.ts";
import type { ClaudeCodeHooks } from "./claude_code.ts";
import { asHookBody, defaultSessionId } from "./claude_code_map.ts";

/** `POST /claude-code` under `/api/hooks`. */
export function claudeCodeHookRoutes(
  { gate }: EdgeContext,
  hooks: ClaudeCodeHooks,
): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post("/claude-code", async (c) => {
    const body = asHookBody(await readJson(c));
    if (body === undefined) {
      throw new SwitchboardError("INVALID_PAYLOAD", "A hook body is a JSON object");
    }
    const named = c.req.query("session") ?? defaultSessionId(body);
    if (named === undefined) {
      throw new SwitchboardError(
        "SESSION_REQUIRED",
        "Give ?session= or a hook body with a session_id",
      );
    }
    const session = gate.sessionId(named, "session");
    return c.json(await hooks.handle(c.var.caller, session, body));
  });
}

/** `GET`, `PUT` and `DELETE /:id/approval-policy` under `/api/sessions`. */
export function approvalPolicyRoutes(hooks: ClaudeCodeHooks): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .get("/:id/approval-policy", (c) => {
      authorize(c.var.actor.principal, c.var.session, "read");
      const policy = hooks.policies.get(c.var.session);
      return c.json({ success: true, policy: policy ? describePolicy(policy) : null });
    })
    .put("/:id/approval-policy", async (c) => {
      authorize(c.var.actor.principal, c.var.session, "command");
      const policy = parseOrThrow(approvalPolicySchema, await readJson(c), {
        code: "INVALID_PAYLOAD",
      });
      hooks.policies.set(c.var.session, policy);
      return c.json({ success: true, policy });
    })
    .delete("/:id/approval-policy", (c) => {
      authorize(c.var.actor.principal, c.var.session, "command");
      return c.json({ success: true, deleted: hooks.policies.delete(c.var.session) });
    });
}
