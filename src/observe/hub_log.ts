/**
 * @module The hub's happenings as log lines: a connection accepted, a command and its result.
 * Identifiers and codes only; never a token, never a payload.
 */
import type { HubObserver } from "../hub/counters.ts";
import { log } from "./log.ts";

/** An observer that writes one line per accepted connection and per answered command. */
export function hubLog(): Pick<HubObserver, "connected" | "command"> {
  return {
    connected(connection) {
      log.info("connection opened", {
        id: connection.id,
        role: connection.role,
        transport: connection.transport,
        sub: connection.principal.subject,
      });
    },
    command(outcome) {
      const fields = { ...outcome };
      if (outcome.result === "ok") log.info("command", fields);
      else log.warn("command refused", fields);
    },
  };
}
