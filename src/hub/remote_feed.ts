/**
 * @module What a session needs when its store is shared by several nodes: watching the store's
 * notices while the session has local subscribers, asking its queue for a sync (and waiting for
 * it), reading a missing range of the stream page by page, reloading the execution state the
 * store holds, and mapping store failures to coded errors. On a single-node store none of this
 * runs.
 */
import type { StoredEvent } from "../protocol/encode.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { StoreError, type StoreNotice } from "../store/store.ts";
import type { Store } from "../store/store.ts";
import type { Execution, ExecutionSnapshot } from "./execution.ts";

/** Events read per page when catching up with other nodes. */
const PAGE = 500;

const IDLE: ExecutionSnapshot = { state: "idle", decisions: [], checkpoints: [] };

/** Watches one session in a shared store and keeps track of syncs asked for. */
export class RemoteFeed {
  readonly #store: Store & Required<Pick<Store, "watch">>;
  readonly #id: string;
  readonly #onNotice: (notice: StoreNotice) => void;
  #stop: (() => void) | undefined;
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #forced = false;
  #noticed = 0;
  /** Whether the session's queue should read what other nodes appended. */
  wanted = false;

  /** Creates the feed; nothing is watched until {@linkcode start}. */
  constructor(
    store: Store & Required<Pick<Store, "watch">>,
    id: string,
    onNotice: (notice: StoreNotice) => void,
  ) {
    this.#store = store;
    this.#id = id;
    this.#onNotice = onNotice;
  }

  /** Starts watching (once). */
  start(): void {
    this.#stop ??= this.#store.watch(this.#id, this.#onNotice);
  }

  /** Stops watching. */
  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  /**
   * Marks a sync as wanted: `forced` reads the stream whatever was noticed (after a reconnect,
   * or a gap); otherwise it reads only if `head` is past what the session delivered.
   */
  want(forced: boolean, head = 0): void {
    this.wanted = true;
    this.#forced ||= forced;
    this.#noticed = Math.max(this.#noticed, head);
  }

  /** Asks for a forced sync; the promise settles when the queue has run it. */
  request(): Promise<void> {
    this.want(true);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Takes what was asked for, for the queue to run the sync; `settle` answers the waiters. */
  take(): { forced: boolean; noticed: number; settle: (error?: unknown) => void } {
    const waiters = this.#waiters;
    const taken = { forced: this.#forced, noticed: this.#noticed };
    this.wanted = this.#forced = false;
    this.#waiters = [];
    return {
      ...taken,
      settle: (error) => {
        for (const w of waiters) error === undefined ? w.resolve() : w.reject(error);
      },
    };
  }

  /**
   * Reads the stream after `after`, up to `upTo` (inclusive), and passes each event to
   * `deliver` in seq order. Resolves with the last seq delivered.
   */
  async readRange(
    after: number,
    upTo: number,
    deliver: (event: StoredEvent) => void,
  ): Promise<number> {
    let position = after;
    while (position < upTo) {
      const page = await this.#store.read(this.#id, position, Math.min(PAGE, upTo - position));
      for (const event of page) {
        if (event.seq <= position || event.seq > upTo) continue;
        deliver(event);
        position = event.seq;
      }
      if (page.length < Math.min(PAGE, upTo - position) || page.length === 0) break;
    }
    return position;
  }

  /**
   * Replaces `execution` with the state the store holds and resolves with the head it belongs
   * to. Throws `SESSION_NOT_FOUND` when the session (this epoch of it) is gone.
   */
  async reloadState(execution: Execution, epoch: string): Promise<number> {
    const loaded = await this.#store.loadSession(this.#id);
    if (!loaded || loaded.epoch !== epoch) throw gone(this.#id);
    execution.restore((loaded.state as ExecutionSnapshot | undefined) ?? IDLE);
    return loaded.head;
  }
}

/** Whether a failed append lost the race for the head to another node. */
export function isConflict(error: unknown): boolean {
  return error instanceof StoreError && error.reason === "conflict";
}

/** The coded error for a store failure: gone, unavailable (retryable) or failed. */
export function storeFailure(id: string, cause: unknown): SwitchboardError {
  if (cause instanceof SwitchboardError) return cause;
  if (cause instanceof StoreError && cause.reason === "gone") return gone(id);
  // Unreachable, or still losing races after several re-plans: both pass with time.
  if (cause instanceof StoreError) {
    return new SwitchboardError(
      "STORE_UNAVAILABLE",
      "The store cannot be reached right now; retry shortly",
      { cause },
    );
  }
  return new SwitchboardError("STORE_FAILED", "The event could not be stored", { cause });
}

function gone(id: string): SwitchboardError {
  return new SwitchboardError("SESSION_NOT_FOUND", `Session "${id}" was deleted`);
}
