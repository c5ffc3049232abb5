/**
 * @module What the Claude Code steering needs to know about a session, read through the hub's
 * public API: one in-process subscription per watched session (replay from the start, then
 * live) that follows the HALT reason, the REDIRECT and INJECT commands no orchestrator has
 * applied yet, and the decisions made. Replaying from the start means a command sent before the
 * server restarted is still delivered.
 */
import { developmentPrincipal } from "../auth/identity.ts";
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import { BoundedMap } from "../hub/bounded_map.ts";
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import { type HubFrame, listen } from "./hub_listener.ts";

/** A steering command waiting for the agent's next `Stop`. */
export interface QueuedInstruction {
  /** The command's id, reported back in `command:applied`. */
  commandId: string;
  /** REDIRECT or INJECT. */
  type: "REDIRECT" | "INJECT";
  /** What Claude Code is told. */
  instruction: string;
}

/** How a decision was made. */
export interface MadeDecision {
  /** The option chosen. */
  choice: string;
  /** Who chose: `by.id` of the DECISION (`claude-code:timeout` for the server's own). */
  by: string;
  /** The DECISION command's id, when a command made it. */
  commandId?: string;
}

/** Options of {@linkcode SessionWatch}. */
export interface SessionWatchOptions {
  /** Words for an INJECT: the skill's instructions, if it is registered. */
  describeSkill?: (name: string) => string | undefined;
}

const WATCHED_EVENTS = [
  "command",
  "command:applied",
  "decision:made",
  "execution:halted",
  "execution:resumed",
];
const MAX_QUEUED = 100;

/** One watched session. */
export class SessionWatch {
  /** The session id. */
  readonly session: string;
  /** The reason of the HALT in force, `undefined` while not halted by a command with a reason. */
  haltReason: string | undefined;
  readonly #queued = new BoundedMap<string, QueuedInstruction>(MAX_QUEUED);
  readonly #decisions = new Map<string, (made: MadeDecision) => void>();
  readonly #onHalt = new Set<(reason: string | undefined) => void>();
  readonly #onClose = new Set<() => void>();
  readonly #options: SessionWatchOptions;
  #connection: Connection | undefined;
  #live = false;
  #closed = false;
  #closeWhenIdle = false;

  /** Creates a watch; {@linkcode open} subscribes it. */
  constructor(session: string, options: SessionWatchOptions = {}) {
    this.session = session;
    this.#options = options;
  }

  /** Subscribes to the session and resolves once its history has been read. */
  async open(hub: Hub): Promise<void> {
    this.#connection = listen(hub, developmentPrincipal("orchestrator"), {
      onFrame: (frame) => this.#onFrame(frame),
      onClose: () => this.close(),
    });
    await hub.subscribe(this.#connection, this.session, {
      lastSeq: 0,
      events: WATCHED_EVENTS,
      onLive: () => {
        this.#live = true;
      },
    });
  }

  /** `true` until closed (the session was deleted, the hub shut down, or the watch evicted). */
  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Takes the queued REDIRECT and INJECT instructions, oldest first; each is taken once. */
  takeQueued(): QueuedInstruction[] {
    const taken = [...this.#queued.values()];
    this.#queued.clear();
    return taken;
  }

  /** Resolves when `decision:made` for `decisionId` is appended; returns a canceller. */
  onDecision(decisionId: string, resolve: (made: MadeDecision) => void): () => void {
    this.#decisions.set(decisionId, resolve);
    return () => {
      this.#decisions.delete(decisionId);
      if (this.#closeWhenIdle && this.#decisions.size === 0) this.close();
    };
  }

  /** Calls `listener` once when the watch closes; returns a canceller. */
  onClose(listener: () => void): () => void {
    this.#onClose.add(listener);
    return () => this.#onClose.delete(listener);
  }

  /** Closes now, or once no decision is waited for. */
  closeWhenIdle(): void {
    this.#closeWhenIdle = true;
    if (this.#decisions.size === 0) this.close();
  }

  /** Calls `listener` on every live HALT; returns a canceller. */
  onHalt(listener: (reason: string | undefined) => void): () => void {
    this.#onHalt.add(listener);
    return () => this.#onHalt.delete(listener);
  }

  /** Ends the subscription and tells the `onClose` listeners (held calls settle). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection?.close(CLOSE_CODES.GOING_AWAY, "Watch closed");
    for (const listener of [...this.#onClose]) listener();
  }

  #onFrame(frame: HubFrame): void {
    if (frame.event === "session:deleted") return this.close();
    if (frame.seq === undefined) return;
    const p = frame.payload;
    switch (frame.event) {
      case "command":
        return this.#onCommand(p);
      case "command:applied":
        this.#queued.delete(p.commandId as string);
        return;
      case "execution:halted":
        this.haltReason = typeof p.reason === "string" ? p.reason : undefined;
        if (this.#live) { for (const listener of [...this.#onHalt]) listener(this.haltReason); }
        return;
      case "execution:resumed":
        this.haltReason = undefined;
        return;
      case "decision:made": {
        const id = p.decisionId as string;
        const resolve = this.#decisions.get(id);
        if (!resolve) return;
        this.#decisions.delete(id);
        const by = p.by as { id?: string } | string | undefined;
        resolve({
          choice: p.choice as string,
          by: typeof by === "string" ? by : by?.id ?? "unknown",
          ...(typeof p.commandId === "string" ? { commandId: p.commandId } : {}),
        });
        return;
      }
    }
  }

  #onCommand(p: Record<string, unknown>): void {
    const commandId = p.commandId as string;
    if (p.type === "REDIRECT") {
      const target = typeof p.target === "string" ? ` (for ${p.target})` : "";
      this.#queued.set(commandId, {
        commandId,
        type: "REDIRECT",
        instruction: `${p.instruction as string}${target}`,
      });
    } else if (p.type === "INJECT") {
      const skill = p.skill as string;
      const parameters = p.parameters === undefined
        ? ""
        : ` with parameters ${JSON.stringify(p.parameters)}`;
      const how = this.#options.describeSkill?.(skill);
      this.#queued.set(commandId, {
        commandId,
        type: "INJECT",
        instruction: `Run the skill "${skill}"${parameters}.${how ? `\n\n${how}` : ""}`,
      });
    }
  }
}
