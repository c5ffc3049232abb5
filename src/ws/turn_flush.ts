/**
 * @module One flush at the end of the event-loop turn for every socket that queued frames in it.
 * `setImmediate` runs after the turn's I/O callbacks: the frames that a burst of inbound messages
 * produced (acks, deliveries of each publish) are all queued by then, so they leave as one frame
 * per socket. A microtask would run after each message and batch nothing; a timer would add a
 * millisecond. One shared callback, not one per socket: a fan-out to N sockets schedules once.
 */
import { setImmediate } from "node:timers";

/** What can be flushed at the end of the turn. */
export interface Flushable {
  /** Sends what was queued. */
  flush(): void;
}

let waiting: Flushable[] = [];
let scheduled = false;

function flushAll(): void {
  scheduled = false;
  const due = waiting;
  waiting = [];
  for (const socket of due) socket.flush();
}

/** Flushes `socket` at the end of this event-loop turn; call once per turn per socket. */
export function flushAtTurnEnd(socket: Flushable): void {
  waiting.push(socket);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flushAll);
}
