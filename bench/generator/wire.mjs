/**
 * @module The three wire formats the generator speaks: Switchboard's JSON envelope, Socket.IO's
 * engine.io v4 packets and the bare relay's pass-through. Inbound frames stay Buffers: a frame
 * is classified by a byte or two and numbers are read where they stand, never JSON-parsed.
 */

/** Inbound frame kinds. */
export const KIND = Object.freeze({
  OTHER: 0,
  TICK: 1,
  ACK: 2,
  PONG: 3,
  READY: 4,
  HEARTBEAT: 5,
  /** Engine.io's open packet: the client must answer with {@link Wire.openReply}. */
  OPEN: 6,
});

const C = (/** @type {string} */ s) => s.charCodeAt(0);
const T_KEY = Buffer.from('"t":');
const I_KEY = Buffer.from('"i":');
const ID_KEY = Buffer.from('"id":');

/**
 * Reads the JSON number that starts at `at` in `buf` (digits, an optional sign, fraction and
 * exponent), or `NaN`. Plain decimals (the ticks' `t` and `i`) are summed digit by digit, with no
 * string made: at hundreds of thousands of deliveries a second the generator is the bottleneck.
 * @param {Buffer} buf
 * @param {number} at
 */
export function numberAt(buf, at) {
  let end = at;
  let value = 0;
  let scale = 0; // digits after the point so far, once one was seen
  let plain = true;
  while (end < buf.length) {
    const c = buf[end];
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (scale > 0) scale *= 10;
    } else if (c === 46 && scale === 0) scale = 1;
    // - + e E: rare here, read the slow way below
    else if (c === 45 || c === 43 || c === 101 || c === 69) plain = false;
    else break;
    end++;
  }
  if (end === at) return NaN;
  if (!plain) return Number(buf.latin1Slice(at, end));
  return scale > 1 ? value / scale : value;
}

/**
 * The number after `key` in `buf` (first occurrence from `from`), or `NaN`.
 * @param {Buffer} buf
 * @param {Buffer} key
 * @param {number} [from]
 */
export function numberAfter(buf, key, from = 0) {
  const at = buf.indexOf(key, from);
  return at < 0 ? NaN : numberAt(buf, at + key.length);
}

const NEXT_FRAME = Buffer.from(',{"event":"');

/**
 * Calls `each` with every frame of `buf`: the frame itself, or each element of an array frame
 * (`[f1,f2,…]`, Switchboard's `batch=1`), as a slice of the same memory. Elements are found
 * without parsing: `,{"event":"` cannot occur inside a JSON string (its quotes would be
 * escaped), and the generator's payloads never nest an object with an `event` key. (A byte loop
 * in JavaScript that tracks strings and nesting was tried: it took twice the CPU of this.)
 * @param {Buffer} buf
 * @param {(frame: Buffer) => void} each
 */
export function forEachFrame(buf, each) {
  if (buf[0] !== 0x5b) return each(buf); // not `[`
  let start = 1;
  for (;;) {
    const next = buf.indexOf(NEXT_FRAME, start);
    if (next < 0) return each(buf.subarray(start, buf.length - 1));
    each(buf.subarray(start, next));
    start = next + 1;
  }
}

/**
 * `&batch=1` unless `BENCH_NO_BATCH` is set: Switchboard peers read array frames like the
 * shipped client, so what the server queues within one event-loop turn arrives as one frame.
 */
const BATCH = process.env.BENCH_NO_BATCH ? "" : "&batch=1";

/** Scheduled send time (`"t"`) of a tick or ping reply. @param {Buffer} buf */
export const readT = (buf) => numberAfter(buf, T_KEY);

/** A tick's `t` and `i`, read by {@link readTick} (one object, reused). */
export const tick = { t: NaN, i: NaN };

/**
 * Reads a tick's `"t":…,"i":…` (the publisher writes them first in its payload, in that order)
 * with one search, into {@link tick}.
 * @param {Buffer} buf
 */
export function readTick(buf) {
  const at = buf.indexOf(T_KEY);
  if (at < 0) {
    tick.t = tick.i = NaN;
    return;
  }
  tick.t = numberAt(buf, at + T_KEY.length);
  // `,"i":` follows the digits of t
  let end = at + T_KEY.length;
  while (end < buf.length && buf[end] !== 0x2c) end++;
  tick.i = buf[end + 2] === 0x69 ? numberAt(buf, end + 5) : readI(buf);
}
/** Event index (`"i"`) of a tick; it follows `"t"`. @param {Buffer} buf */
export const readI = (buf) => numberAfter(buf, I_KEY);

/**
 * @typedef {object} Wire
 * @property {(session: string) => string} subscriberPath
 * @property {(session: string) => string} publisherPath
 * @property {(lastSeq: number) => string} resumeQuery appended to a subscriber's URL to resume
 *   after `lastSeq` (empty where the wire cannot resume)
 * @property {() => string} probePath
 * @property {(session: string, i: number, body: string) => string} publish encodes a publish
 *   whose ack, if the wire has acks, carries id `i`
 * @property {boolean} acks whether publishes are acknowledged
 * @property {(id: number, body: string) => string} ping encodes a round-trip probe
 * @property {(buf: Buffer) => number} classify one of {@link KIND}
 * @property {(buf: Buffer) => number} ackId the id of an ACK frame
 * @property {(buf: Buffer) => string} heartbeatReply the answer to a HEARTBEAT frame
 * @property {string} openReply the answer to an OPEN frame
 * @property {{ subscriber: number, publisher: number, probe: number }} readyFrames how many
 *   READY frames each kind of peer waits for after the WebSocket opens
 */

/** Switchboard: `{"event":...}` frames; ticks are `custom:tick` session events. @type {Wire} */
const switchboard = {
  subscriberPath: (session) => `/ws?session=${session}&role=dashboard${BATCH}`,
  publisherPath: () => `/ws?role=orchestrator${BATCH}`,
  resumeQuery: (lastSeq) => lastSeq > 0 ? `&lastSeq=${lastSeq}` : "",
  probePath: () => `/ws?role=dashboard${BATCH}`,
  publish: (session, i, body) =>
    `{"event":"custom:tick","session":"${session}","id":${i},"payload":${body}}`,
  acks: true,
  ping: (id, body) => `{"event":"ping","id":${id},"payload":${body}}`,
  // `{"event":"` is 10 bytes; the event name starts at byte 10.
  classify(buf) {
    const a = buf[10];
    const b = buf[11];
    if (a === C("c")) return b === C("u") ? KIND.TICK : KIND.READY; // custom:tick | connected
    if (a === C("p")) return b === C("i") ? KIND.HEARTBEAT : KIND.PONG; // ping | pong
    if (a === C("a")) return KIND.ACK;
    if (a === C("s") && b === C("u")) return KIND.READY; // subscribed
    return KIND.OTHER;
  },
  ackId: (buf) => numberAfter(buf, ID_KEY),
  // `{"event":"ping",` is 16 bytes; the rest (`"payload":{"t":…}}`) is echoed.
  heartbeatReply: (buf) => `{"event":"pong",${buf.latin1Slice(16, buf.length)}`,
  openReply: "",
  // `connected`, then (with ?session=) `subscribed` once the replay is done and live.
  readyFrames: { subscriber: 2, publisher: 1, probe: 1 },
};

/**
 * Socket.IO over engine.io v4: `0{…}` open, `40` connect, `2`/`3` heartbeat, `42[…]` events,
 * `43<id>[…]` acks. @type {Wire}
 */
const socketio = {
  subscriberPath: (session) => `/socket.io/?EIO=4&transport=websocket&session=${session}`,
  publisherPath: () => "/socket.io/?EIO=4&transport=websocket",
  // Connection state recovery is off in the default server: a reconnect starts afresh.
  resumeQuery: () => "",
  probePath: () => "/socket.io/?EIO=4&transport=websocket",
  publish: (session, i, body) => `42${i}["publish","${session}",${body}]`,
  acks: true,
  ping: (id, body) => `42${id}["ping",${body}]`,
  classify(buf) {
    if (buf[0] === C("4")) {
      const b = buf[1];
      if (b === C("2")) return KIND.TICK; // only ticks are pushed as events
      if (b === C("3")) {
        return buf[buf.length - 2] === C("}") ? KIND.PONG : KIND.ACK;
      }
      if (b === C("0")) return KIND.READY; // namespace connected (rooms joined by then)
      return KIND.OTHER;
    }
    if (buf[0] === C("2") && buf.length === 1) return KIND.HEARTBEAT;
    if (buf[0] === C("0")) return KIND.OPEN;
    return KIND.OTHER;
  },
  ackId: (buf) => numberAt(buf, 2),
  heartbeatReply: () => "3",
  // Connect to the default namespace.
  openReply: "40",
  readyFrames: { subscriber: 1, publisher: 1, probe: 1 },
};

/**
 * The bare relay forwards the publisher's text unchanged, so the publisher sends what a
 * Switchboard subscriber would receive; it has no acks, and the probe is echoed. @type {Wire}
 */
const relay = {
  subscriberPath: (session) => `/ws?session=${session}`,
  publisherPath: (session) => `/ws?to=${session}`,
  resumeQuery: () => "",
  probePath: () => "/ws",
  publish: (session, i, body) =>
    `{"event":"custom:tick","session":"${session}","seq":${i},"payload":${body},` +
    `"ts":${Date.now()}}`,
  acks: false,
  ping: (id, body) => `{"event":"ping","id":${id},"payload":${body}}`,
  classify: (buf) => buf[10] === C("c") ? KIND.TICK : KIND.PONG,
  ackId: () => NaN,
  heartbeatReply: () => "",
  openReply: "",
  // A socket is in its room once upgraded.
  readyFrames: { subscriber: 0, publisher: 0, probe: 0 },
};

/** Wires by server name. @type {Record<string, Wire>} */
export const WIRES = { switchboard, socketio, relay };
