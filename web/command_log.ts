/**
 * @module The commands this page sent to a session and how each went: accepted (with the state
 * after it) or refused with a coded error, then applied (or not) once the orchestrator publishes
 * `command:applied`.
 */
import type { Command, CommandResult, ExecutionState, Socket } from "../client/mod.ts";
import { Observable } from "./observable.ts";

/** One command and its outcome. */
export interface Outcome {
  /** Local id for lists. */
  key: number;
  type: Command["type"];
  /** What was sent, briefly. */
  label: string;
  status: "sending" | "accepted" | "refused";
  commandId?: string;
  state?: ExecutionState;
  error?: { code: string; message: string };
  /** From `command:applied`: `true`, `false`, or undefined while pending. */
  applied?: boolean;
  appliedMessage?: string;
}

/** Sends commands for one session and keeps their outcomes, newest first. */
export class CommandLog extends Observable {
  outcomes: Outcome[] = [];
  readonly #socket: Socket;
  readonly #session: string;
  #next = 1;

  /** Commands go to `session` over `socket`. */
  constructor(socket: Socket, session: string) {
    super();
    this.#socket = socket;
    this.#session = session;
  }

  /** Sends `command`; resolves with the result, or `undefined` when it was refused. */
  async send(command: Command, label: string): Promise<CommandResult | undefined> {
    const outcome: Outcome = { key: this.#next++, type: command.type, label, status: "sending" };
    this.outcomes = [outcome, ...this.outcomes].slice(0, 50);
    this.changed();
    try {
      const result = await this.#socket.to(this.#session).emitWithAck("command", command);
      Object.assign(outcome, {
        status: "accepted",
        commandId: result.commandId,
        state: result.state,
      });
      return result;
    } catch (error) {
      const { code = "INTERNAL", message = String(error) } = error as {
        code?: string;
        message?: string;
      };
      Object.assign(outcome, { status: "refused", error: { code, message } });
      return undefined;
    } finally {
      this.outcomes = [...this.outcomes];
      this.changed();
    }
  }

  /** Notes a `command:applied` event. */
  applied(payload: Record<string, unknown>): void {
    const outcome = this.outcomes.find((o) => o.commandId === payload.commandId);
    if (!outcome) return;
    outcome.applied = payload.ok !== false;
    outcome.appliedMessage = typeof payload.message === "string" ? payload.message : undefined;
    this.outcomes = [...this.outcomes];
    this.changed();
  }
}
