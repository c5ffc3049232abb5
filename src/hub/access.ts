/**
 * @module Authorization: what a principal may do to a session. The hub calls this for every
 * operation, so the WebSocket and REST edges cannot disagree.
 */
import { mayPublish } from "../protocol/events.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { mayAccess, type Principal } from "../auth/identity.ts";

/** What is being done to a session. */
export type Action = "read" | "publish" | "command" | "delete";

/**
 * Throws `FORBIDDEN` unless `principal` may do `action` on `session`. Admins may do anything;
 * others need a grant for the session; publishing an orchestrator event as a dashboard needs
 * the `publish` scope, sending a command as an orchestrator the `commands` scope, and deleting
 * a session is for orchestrators and admins.
 */
export function authorize(
  principal: Principal,
  session: string,
  action: Action,
  event?: string,
): void {
  if (!mayAccess(principal, session)) {
    throw new SwitchboardError("FORBIDDEN", `No grant for session "${session}"`);
  }
  if (principal.role === "admin") return;
  switch (action) {
    case "publish":
      if (
        event !== undefined && !mayPublish(principal.role, event) &&
        !principal.scopes.has("publish")
      ) {
        throw new SwitchboardError("FORBIDDEN", `A ${principal.role} may not publish "${event}"`);
      }
      return;
    case "command":
      if (principal.role === "orchestrator" && !principal.scopes.has("commands")) {
        throw new SwitchboardError(
          "FORBIDDEN",
          "Orchestrators may not send commands without the commands scope",
        );
      }
      return;
    case "delete":
      if (principal.role === "dashboard") {
        throw new SwitchboardError("FORBIDDEN", "Dashboards may not delete sessions");
      }
      return;
    case "read":
      return;
  }
}
