/**
 * @module The hub's bookkeeping for operators: counts published events by family and commands by
 * result, times each command from acceptance to its `command:applied`, and tells the observer.
 */
import type { CommandResult } from "../protocol/commands.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import type { ValidEvent } from "../protocol/parse.ts";
import { BoundedMap } from "./bounded_map.ts";
import { type CommandOutcome, eventFamily, HubCounters, type HubObserver } from "./counters.ts";

/** Accepted commands remembered for their `command:applied` timing. */
const MAX_TIMED_COMMANDS = 10_000;

/** Counts and times what passes through the hub. */
export class Accounting {
  readonly #counters: HubCounters;
  readonly #observer: HubObserver;
  readonly #clock: () => number;
  /** When each recently accepted command was accepted (monotonic ms), by command id. */
  readonly #accepted = new BoundedMap<string, number>(MAX_TIMED_COMMANDS);

  /** Adds to `counters`, reports to `observer`, times with the monotonic `clock`. */
  constructor(counters: HubCounters, observer: HubObserver, clock: () => number) {
    this.#counters = counters;
    this.#observer = observer;
    this.#clock = clock;
  }

  /** Watches a command's result: counts it, logs it, starts its confirmation timer. */
  command(outcome: Omit<CommandOutcome, "result">, result: Promise<CommandResult>): void {
    result.then(
      ({ commandId, seq }) => {
        this.#accepted.set(commandId, this.#clock());
        this.#answered({ ...outcome, result: "ok", commandId, seq });
      },
      (error) => {
        const code = error instanceof SwitchboardError ? error.code : "INTERNAL";
        this.#answered({ ...outcome, result: code });
      },
    );
  }

  /** Counts stored events by family and times the commands they confirm. */
  published(events: readonly ValidEvent[]): void {
    for (const { event, payload } of events) {
      HubCounters.bump(this.#counters.published, eventFamily(event));
      if (event !== "command:applied") continue;
      const commandId = payload.commandId as string;
      const since = this.#accepted.get(commandId);
      if (since === undefined) continue;
      this.#accepted.delete(commandId);
      this.#observer.commandApplied?.(this.#clock() - since);
    }
  }

  #answered(outcome: CommandOutcome): void {
    HubCounters.bump(this.#counters.commands, `${outcome.type}/${outcome.result}`);
    this.#observer.command?.(outcome);
  }
}
