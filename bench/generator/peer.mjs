/**
 * @module One connection of the load generator as a protocol peer: opens, answers the server's
 * handshake and heartbeats, and hands every other frame, still a Buffer, to its owner.
 */
import { RawSocket } from "./socket.mjs";
import { forEachFrame, KIND } from "./wire.mjs";

/**
 * @typedef {object} PeerHandlers
 * @property {(buf: Buffer, now: number) => void} [onTick]
 * @property {(buf: Buffer, now: number) => void} [onAck]
 * @property {(buf: Buffer, now: number) => void} [onPong]
 * @property {() => void} [onClose]
 */

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Opens a connection and resolves once it is ready (the wire's READY frames have arrived).
 * @param {string} url
 * @param {import("./wire.mjs").Wire} wire
 * @param {{ ready: number, timeoutMs: number, handlers: PeerHandlers }} options
 * @returns {Promise<RawSocket>}
 */
export function openPeer(url, wire, { ready, timeoutMs, handlers }) {
  return new Promise((resolve, reject) => {
    let waiting = ready;
    /** @type {RawSocket | undefined} */
    let socket;
    const timer = setTimeout(() => {
      socket?.close();
      reject(
        new Error(
          `Timed out after ${timeoutMs} ms waiting for ${url} to be ready`,
        ),
      );
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(/** @type {RawSocket} */ (socket));
    };
    const onText = (
      /** @type {Buffer} */ buf,
      /** @type {RawSocket} */ from,
    ) => {
      // Every frame of one message arrived at the same time.
      const at = now();
      forEachFrame(buf, (frame) => onFrame(frame, from, at));
    };
    const onFrame = (
      /** @type {Buffer} */ buf,
      /** @type {RawSocket} */ from,
      /** @type {number} */ at,
    ) => {
      switch (wire.classify(buf)) {
        case KIND.TICK:
          return handlers.onTick?.(buf, at);
        case KIND.ACK:
          return handlers.onAck?.(buf, at);
        case KIND.PONG:
          return handlers.onPong?.(buf, at);
        case KIND.HEARTBEAT:
          return from.send(wire.heartbeatReply(buf));
        case KIND.OPEN:
          return from.send(wire.openReply);
        case KIND.READY:
          socket = from;
          if (waiting > 0 && --waiting === 0) done();
      }
    };
    const onClose = () => {
      clearTimeout(timer);
      handlers.onClose?.();
      reject(new Error(`Closed before ready: ${url}`));
    };
    RawSocket.open(url, { onText, onClose }, timeoutMs).then((opened) => {
      socket = opened;
      if (waiting === 0) done();
    }, (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Opens `count` connections, at most `concurrency` handshakes at a time (more would overflow
 * the server's accept backlog and measure SYN retransmits instead of the server).
 * @template T
 * @param {number} count
 * @param {number} concurrency
 * @param {(index: number) => Promise<T>} open
 * @returns {Promise<T[]>}
 */
export async function openMany(count, concurrency, open) {
  /** @type {T[]} */
  const opened = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      opened[index] = await open(index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, worker),
  );
  return opened;
}
