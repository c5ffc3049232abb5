/**
 * @module A test store that wraps another and answers like a slow, paging backend: reads return
 * at most a few events and reads and appends complete on a later macrotask, so replays take many
 * batches and live publishes land in the middle of them.
 */
import type { Store } from "../../src/mod.ts";

/** Options of {@linkcode pagedStore}. */
export interface PagedStoreOptions {
  /**
   * Most events one read returns, whatever limit is asked (the Store contract says "up to").
   * @default 7
   */
  pageSize?: number;
  /**
   * Milliseconds each read and append waits before answering; 0 still yields a macrotask.
   * @default 0
   */
  delayMs?: number;
}

/** A {@linkcode Store} that also counts its reads. */
export type PagedStore = Store & { readonly reads: number };

/**
 * Wraps `inner` with short pages and macrotask delays. Everything but `read` and `append` is
 * forwarded untouched, so the wrapper keeps up with changes to the Store interface.
 */
export function pagedStore(inner: Store, options: PagedStoreOptions = {}): PagedStore {
  const pageSize = options.pageSize ?? 7;
  const delayMs = options.delayMs ?? 0;
  let reads = 0;
  // A macrotask, not a microtask: other sockets' frames get handled in between.
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, delayMs));
  const overrides: Pick<Store, "read" | "append"> = {
    async read(session, afterSeq, limit) {
      reads++;
      await later();
      return inner.read(session, afterSeq, Math.min(limit, pageSize));
    },
    async append(...args) {
      await later();
      return inner.append(...args);
    },
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === "reads") return reads;
      if (key === "read" || key === "append") return overrides[key];
      const value = Reflect.get(target, key, target);
      // Bind to the real store: its #private fields are not reachable through the proxy.
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as PagedStore;
}
