/**
 * @module A tiny observable and the hook that re-renders a component when it changes: the page's
 * state lives in plain classes, and components subscribe to the ones they show.
 */
import { useEffect, useState } from "preact/hooks";

/** Something components can watch; subclasses call `changed()` after they change. */
export class Observable {
  readonly #listeners = new Set<() => void>();
  /** Bumped on every change, so memoized views can tell. */
  version = 0;

  /** Calls `listener` after each change; returns the function that stops it. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every watcher. */
  protected changed(): void {
    this.version++;
    for (const listener of this.#listeners) listener();
  }
}

/** Re-renders the calling component whenever `target` changes. */
export function useObservable<T extends Observable | undefined>(target: T): T {
  const [, setVersion] = useState(0);
  useEffect(() => target?.watch(() => setVersion(target.version)), [target]);
  return target;
}
