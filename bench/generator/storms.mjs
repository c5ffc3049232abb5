/**
 * @module Two closed scenarios of the load generator: the reconnect storm (every subscriber of a
 * session dropped at once and back within a second, resuming where it stood) and the pipelined
 * publisher (one publisher keeping a window of publishes in flight to a session with one
 * subscriber, as fast as acks come back).
 */
import { ackOk } from "./fanout.mjs";
import { Histogram } from "./histogram.mjs";
import { now, openMany, openPeer } from "./peer.mjs";
import { numberAfter, readI } from "./wire.mjs";

/** About 90 bytes of filler, as in the fan-out steps. */
const PAD = "x".repeat(90);
const SEQ_KEY = Buffer.from('"seq":');
const OPEN_TIMEOUT_MS = 60_000;

/**
 * @typedef {object} Context
 * @property {string} base the server's `ws://host:port`
 * @property {import("./wire.mjs").Wire} wire
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once `done()` holds or `ms` passed.
 * @param {() => boolean} done
 * @param {number} ms
 */
async function waitUntil(done, ms) {
  const deadline = now() + ms;
  while (!done() && now() < deadline) await sleep(5);
}

/**
 * A publisher of its own, counting acks.
 * @param {Context} ctx
 * @param {string} session
 * @param {(buf: Buffer, at: number) => void} onAck
 */
function openPublisher({ base, wire }, session, onAck) {
  return openPeer(base + wire.publisherPath(session), wire, {
    ready: wire.readyFrames.publisher,
    timeoutMs: OPEN_TIMEOUT_MS,
    handlers: { onAck },
  });
}

/**
 * Publishes events `from..to-1` at `rate` per second through `send`.
 * @param {number} from
 * @param {number} to
 * @param {number} rate
 * @param {(i: number, body: string) => void} send
 */
async function publishPaced(from, to, rate, send) {
  const started = now();
  for (let i = from; i < to; i++) {
    const due = started + (i - from) * 1000 / rate;
    if (due > now()) await sleep(due - now());
    send(i, `{"t":${now().toFixed(3)},"i":${i},"pad":"${PAD}"}`);
  }
}

/**
 * The reconnect storm. `n` subscribers of `session` receive `before` events; then all are
 * dropped at once (TCP reset, no close frame), `outage` events are published while they are
 * away, and each reconnects at a random moment within `windowMs`, resuming after the last seq it
 * had (where the wire can resume), while `during` more events are published. Reports the time
 * from the drop until the last subscriber was live again, and what each subscriber missed or
 * received twice.
 * @param {Context} ctx
 * @param {{ session: string, n: number, first: number, before: number, outage: number,
 *   during: number, windowMs: number, rate: number }} options
 */
export async function reconnectStorm(ctx, options) {
  const { base, wire } = ctx;
  const { session, n, first, before, outage, during, windowMs, rate } = options;
  const total = before + outage + during;
  const subs = Array.from({ length: n }, () => ({
    got: new Uint8Array(total),
    received: 0,
    duplicates: 0,
    lastSeq: 0,
    /** @type {import("./socket.mjs").RawSocket | undefined} */
    socket: undefined,
  }));
  const handlers = (/** @type {number} */ k) => ({
    onTick: (/** @type {Buffer} */ buf) => {
      const sub = subs[k];
      const slot = readI(buf) - first;
      if (!(slot >= 0 && slot < total)) return;
      if (sub.got[slot]) sub.duplicates++;
      else {
        sub.got[slot] = 1;
        sub.received++;
      }
      const seq = numberAfter(buf, SEQ_KEY);
      if (seq > sub.lastSeq) sub.lastSeq = seq;
    },
  });
  const open = (/** @type {number} */ k) =>
    openPeer(
      base + wire.subscriberPath(session) + wire.resumeQuery(subs[k].lastSeq),
      wire,
      {
        ready: wire.readyFrames.subscriber,
        timeoutMs: OPEN_TIMEOUT_MS,
        handlers: handlers(k),
      },
    );
  let acked = 0;
  const publisher = await openPublisher(ctx, session, () => acked++);
  const send = (/** @type {number} */ i, /** @type {string} */ body) =>
    publisher.send(wire.publish(session, i, body));
  try {
    const opened = await openMany(n, 64, open);
    opened.forEach((socket, k) => subs[k].socket = socket);
    await publishPaced(first, first + before, rate, send);
    await waitUntil(() => subs.every((s) => s.received === before), 10_000);

    const dropped = now();
    for (const sub of subs) sub.socket?.destroy();
    await publishPaced(first + before, first + before + outage, rate, send);
    let failed = 0;
    let lastLive = 0;
    const back = subs.map((sub, k) =>
      sleep(Math.random() * windowMs).then(() => open(k)).then(
        (socket) => {
          sub.socket = socket;
          lastLive = Math.max(lastLive, now());
        },
        () => failed++,
      )
    );
    await Promise.all([
      ...back,
      publishPaced(first + before + outage, first + total, rate, send),
    ]);
    const ms = lastLive - dropped;
    await waitUntil(() => subs.every((s) => s.received === total), 5_000);
    return {
      n,
      ms,
      failed,
      events: total,
      expected: n * total,
      received: subs.reduce((sum, s) => sum + s.received, 0),
      missed: subs.reduce((sum, s) => sum + total - s.received, 0),
      duplicates: subs.reduce((sum, s) => sum + s.duplicates, 0),
      acked,
    };
  } finally {
    await Promise.race([
      Promise.all([publisher.close(), ...subs.map((s) => s.socket?.close())]),
      sleep(5000),
    ]);
  }
}

/**
 * The pipelined publisher: keeps `inFlight` publishes unanswered on one connection to a session
 * with one subscriber, for `seconds`. A wire without acks (the relay) counts a delivery to the
 * subscriber as the answer.
 * @param {Context} ctx
 * @param {{ session: string, first: number, inFlight: number, seconds: number }} options
 */
export async function pipeline(ctx, options) {
  const { base, wire } = ctx;
  const { session, first, inFlight, seconds } = options;
  const sentAt = new Map();
  const ackLatency = new Histogram();
  let next = first;
  let acked = 0;
  let nacked = 0;
  let received = 0;
  let sending = true;
  let lastAnswer = 0;
  const sendOne = () => {
    const i = next++;
    const t = now();
    sentAt.set(i, t);
    publisher.send(
      wire.publish(session, i, `{"t":${t.toFixed(3)},"i":${i},"pad":"${PAD}"}`),
    );
  };
  const answered = (/** @type {number} */ i, /** @type {number} */ at, ok = true) => {
    const t = sentAt.get(i);
    if (t === undefined) return;
    sentAt.delete(i);
    // A refusal (a rate limit) answers too, but is not a published event.
    if (!ok) nacked++;
    else acked++;
    lastAnswer = at;
    ackLatency.record(at - t);
    if (sending) sendOne();
  };
  const subscriber = await openPeer(base + wire.subscriberPath(session), wire, {
    ready: wire.readyFrames.subscriber,
    timeoutMs: OPEN_TIMEOUT_MS,
    handlers: {
      onTick: (buf, at) => {
        received++;
        if (!wire.acks) answered(readI(buf), at);
      },
    },
  });
  // Declared after the closures that use it: none runs before it is set.
  const publisher = await openPublisher(
    ctx,
    session,
    (buf, at) => answered(wire.ackId(buf), at, ackOk(buf)),
  );
  const cpuBefore = process.cpuUsage();
  const started = now();
  try {
    for (let k = 0; k < inFlight; k++) sendOne();
    await sleep(seconds * 1000);
    sending = false;
    await waitUntil(() => sentAt.size === 0 && received >= next - first, 5_000);
    const cpu = process.cpuUsage(cpuBefore);
    const sent = next - first;
    return {
      inFlight,
      sent,
      acked,
      nacked,
      received,
      unanswered: sentAt.size,
      wallSeconds: (lastAnswer - started) / 1000,
      eventsPerSecond: acked / ((lastAnswer - started) / 1000),
      ack: { sparse: ackLatency.toSparse(), max: ackLatency.max },
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    await Promise.race([
      Promise.all([publisher.close(), subscriber.close()]),
      sleep(5000),
    ]);
  }
}
