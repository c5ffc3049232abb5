/**
 * @module A store seen from outside: wraps any `Store` to time its appends, log its failures and
 * remember whether it is failing now, for `/health`. The store and the hub stay unaware of it,
 * whichever store (memory, SQLite, Redis) is behind.
 */
import type { Store } from "../store/store.ts";
import { StoreError } from "../store/store_error.ts";
import { RedisStats } from "../store/redis/stats.ts";
import { errorFields, log } from "./log.ts";

/** Whether the store is failing, and why. */
export interface StoreHealth {
  /** `true` after a failed operation, until one succeeds again. */
  readonly failing: boolean;
  /** The last failure, e.g. `append: database or disk is full`; `undefined` when healthy. */
  readonly reason: string | undefined;
  /** The Redis store's counters, when the store is Redis (for its `/metrics` section). */
  readonly redis?: RedisStats;
}

/** Options of {@linkcode observeStore}. */
export interface ObserveStoreOptions {
  /** Receives each append's duration in seconds. @default does nothing */
  appended?: (seconds: number) => void;
  /** Monotonic milliseconds. @default performance.now */
  clock?: () => number;
}

/** Operations whose success shows the store is working again. */
const PROVING: ReadonlySet<PropertyKey> = new Set(["append", "read", "head", "createSession"]);

/** Wraps `store`; returns the wrapped store and its live health. */
export function observeStore(
  store: Store,
  options: ObserveStoreOptions = {},
): { store: Store; health: StoreHealth } {
  const clock = options.clock ?? (() => performance.now());
  const stats = (store as { stats?: unknown }).stats;
  const health = {
    failing: false,
    reason: undefined as string | undefined,
    redis: stats instanceof RedisStats ? stats : undefined,
  };
  const failed = (operation: string, args: unknown[], error: unknown) => {
    health.failing = true;
    health.reason = `${operation}: ${error instanceof Error ? error.message : String(error)}`;
    const session = typeof args[0] === "string" ? args[0] : undefined;
    log.error("store error", { operation, session, ...errorFields(error) });
  };
  const wrapped = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function" || property === "close") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return function observed(...args: unknown[]) {
        const started = clock();
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((outcome) => {
          if (property === "append") options.appended?.((clock() - started) / 1000);
          if (health.failing && PROVING.has(property)) {
            health.failing = false;
            health.reason = undefined;
            log.info("store recovered", { operation: String(property) });
          }
          return outcome;
        }, (error) => {
          // Losing the race for the head to another node is routine on Redis, not a failure.
          if (!(error instanceof StoreError && error.reason === "conflict")) {
            failed(String(property), args, error);
          }
          throw error;
        });
      };
    },
  });
  return { store: wrapped, health };
}
