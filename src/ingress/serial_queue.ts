/**
 * @module One caller's operations, admitted one at a time in arrival order. Each step resolves
 * when its operation has taken its place (queued in its session), not when it is done, so a
 * connection keeps many publishes in flight while none can overtake an earlier frame, whatever
 * is slow: authentication, the store, session creation.
 */

/**
 * Runs admission steps strictly in the order they were given. An idle queue holds no promise
 * (every socket has a queue, and most sockets are idle), only while steps wait.
 */
export class SerialQueue {
  #tail: Promise<void> | undefined;
  #waiting = 0;

  /** Steps given and not yet finished. */
  get length(): number {
    return this.#waiting;
  }

  /**
   * Runs `step` after every earlier step has finished. A failing step does not stop later ones;
   * its error is the step's own to handle, so `step` should not throw.
   */
  run(step: () => Promise<void> | void): void {
    if (this.#waiting === 0) {
      // Nothing ahead: start now, and queue behind it only if it has to wait.
      let pending: Promise<void> | void;
      try {
        pending = step();
      } catch {
        return;
      }
      if (!(pending instanceof Promise)) return;
      this.#waiting++;
      this.#tail = pending.catch(() => {}).finally(() => {
        if (--this.#waiting === 0) this.#tail = undefined;
      });
      return;
    }
    this.#waiting++;
    this.#tail = this.#tail!.then(step).catch(() => {}).finally(() => {
      if (--this.#waiting === 0) this.#tail = undefined;
    });
  }
}
