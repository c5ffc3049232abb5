/**
 * @module The load generator process: holds the publisher, the subscribers and a round-trip
 * probe for one server, and runs the steps the coordinator (bench/run.ts) asks for, one JSON
 * line in, one JSON line out, on stdin and stdout.
 *
 * Run: `node bench/generator/main.mjs --server switchboard --url ws://127.0.0.1:8000`.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ackOk, probeUntil, publishOnSchedule, Step, until } from "./fanout.mjs";
import { Histogram } from "./histogram.mjs";
import { now, openMany, openPeer } from "./peer.mjs";
import { pipeline, reconnectStorm } from "./storms.mjs";
import { readT, WIRES } from "./wire.mjs";

const { values } = parseArgs({
  options: { server: { type: "string" }, url: { type: "string" } },
});
const wire = WIRES[values.server ?? ""];
if (!wire || !values.url) {
  console.error(
    "Usage: main.mjs --server switchboard|socketio|relay --url ws://HOST:PORT",
  );
  process.exit(2);
}
const base = values.url;
// Generous: on a shared machine a handshake can wait seconds for a core.
const OPEN_TIMEOUT_MS = 60_000;
/** A generator left running by a dead coordinator ends itself. */
const LIFETIME_MS = 30 * 60_000;
setTimeout(() => process.exit(3), LIFETIME_MS).unref();

/** @typedef {import("./socket.mjs").RawSocket} RawSocket */
/** @type {Map<string, RawSocket[]>} */
const subscribers = new Map();
/** @type {Map<string, RawSocket>} */
const publishers = new Map();
/** @type {RawSocket | undefined} */
let probe;
/** The step in progress, which every handler reports to. @type {Step | undefined} */
let step;
/** Sessions whose subscribers closed unexpectedly, with how many. */
const dropped = new Map();
/** Replies to the idle round-trip probe. @type {((buf: Buffer, at: number) => void) | undefined} */
let onProbeReply;

/**
 * Opens `n` more subscribers of `session`; `query` is appended to their URL.
 * @param {{ session: string, n: number, concurrency?: number, query?: string }} options
 */
async function subscribe({ session, n, concurrency = 64, query = "" }) {
  const list = subscribers.get(session) ?? [];
  subscribers.set(session, list);
  const offset = list.length;
  const started = now();
  const opened = await openMany(
    n,
    concurrency,
    (k) =>
      openPeer(base + wire.subscriberPath(session) + query, wire, {
        ready: wire.readyFrames.subscriber,
        timeoutMs: OPEN_TIMEOUT_MS,
        handlers: {
          onTick: (buf, at) => step?.tick(offset + k, buf, at),
          onClose: () => dropped.set(session, (dropped.get(session) ?? 0) + 1),
        },
      }),
  );
  list.push(...opened);
  return { ms: now() - started, total: list.length };
}

/** @param {string} session */
async function publisherFor(session) {
  let ws = publishers.get(session);
  if (ws) return ws;
  ws = await openPeer(base + wire.publisherPath(session), wire, {
    ready: wire.readyFrames.publisher,
    timeoutMs: OPEN_TIMEOUT_MS,
    handlers: {
      onAck: (buf, at) => step?.acknowledged(wire.ackId(buf), ackOk(buf), at),
    },
  });
  publishers.set(session, ws);
  return ws;
}

async function probeSocket() {
  probe ??= await openPeer(base + wire.probePath(), wire, {
    ready: wire.readyFrames.probe,
    timeoutMs: OPEN_TIMEOUT_MS,
    handlers: {
      onPong: (buf, at) => onProbeReply ? onProbeReply(buf, at) : step?.pong(buf, at),
    },
  });
  return probe;
}

/** @param {import("./fanout.mjs").StepOptions & { session: string }} options */
async function fanout(options) {
  const list = subscribers.get(options.session) ?? [];
  const publisher = options.publish ? await publisherFor(options.session) : undefined;
  const prober = options.probeMs ? await probeSocket() : undefined;
  const droppedBefore = dropped.get(options.session) ?? 0;
  const cpuBefore = process.cpuUsage();
  const current = new Step(options, list.length);
  step = current;
  const sendEnd = options.startAt + options.count * current.interval;
  const work = [];
  if (publisher) {
    work.push(publishOnSchedule(current, (i, body) => {
      publisher.send(wire.publish(options.session, i, body));
    }));
  }
  if (prober) {
    work.push(probeUntil(options.probeMs ?? 10, sendEnd, (id, body) => {
      prober.send(wire.ping(id, body));
    }));
  }
  await Promise.all(work);
  await until(
    () =>
      current.complete && (!publisher || !wire.acks ||
        current.acked + current.nacked >= current.sent),
    sendEnd + options.drainMs,
  );
  // Give probes in flight a moment, so the last ones count.
  if (prober) await until(() => false, now() + 20);
  step = undefined;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    subscribers: list.length,
    sent: current.sent,
    acked: current.acked,
    nacked: current.nacked,
    received: current.received,
    expected: options.count * list.length,
    stale: current.stale,
    incompleteSubscribers: current.perSubscriber.filter((c) => c < options.count).length,
    dropped: (dropped.get(options.session) ?? 0) - droppedBefore,
    lastArrival: current.lastArrival,
    latency: { sparse: current.latency.toSparse(), max: current.latency.max },
    ack: { sparse: current.ack.toSparse(), max: current.ack.max },
    rtt: { sparse: current.rtt.toSparse(), max: current.rtt.max },
    last: Array.from(current.last, (ms) => Math.round(ms * 1000) / 1000),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/** Sequential round trips on an otherwise idle connection. */
async function rtt({ count, gapMs }) {
  const socket = await probeSocket();
  const histogram = new Histogram();
  for (let id = 1; id <= count; id++) {
    const reply = new Promise((resolve) => {
      onProbeReply = (buf, at) => resolve(at - readT(buf));
    });
    socket.send(wire.ping(id, `{"t":${now().toFixed(3)}}`));
    const ms = await Promise.race([
      reply,
      new Promise((r) => setTimeout(() => r(NaN), 2000)),
    ]);
    if (Number.isFinite(ms)) histogram.record(/** @type {number} */ (ms));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  onProbeReply = undefined;
  return {
    samples: histogram.total,
    rtt: { sparse: histogram.toSparse(), max: histogram.max },
  };
}

/** A subscriber arriving late replays `expect` events; how long until it is live. */
async function replay({ session, expect }) {
  let received = 0;
  const started = now();
  const ws = await openPeer(base + wire.subscriberPath(session), wire, {
    ready: wire.readyFrames.subscriber,
    timeoutMs: 120_000,
    handlers: { onTick: () => received++ },
  });
  const ms = now() - started;
  await until(() => received >= expect, now() + 5000);
  await ws.close();
  return { ms, received };
}

/** Closes the subscribers of `session` (all sessions when omitted) and waits for them. */
async function close({ session }) {
  const lists = session === undefined ? [...subscribers.keys()] : [session];
  const closing = [];
  for (const name of lists) {
    for (const ws of subscribers.get(name) ?? []) closing.push(ws.close());
    subscribers.delete(name);
    dropped.delete(name);
  }
  await Promise.race([
    Promise.all(closing),
    new Promise((r) => setTimeout(r, 5000)),
  ]);
  return { closed: closing.length };
}

const COMMANDS = {
  subscribe,
  reconnectStorm: (options) => reconnectStorm({ base, wire }, options),
  pipeline: (options) => pipeline({ base, wire }, options),
  fanout,
  rtt,
  replay,
  close,
  exit: () => {
    setTimeout(() => process.exit(0), 10);
    return {};
  },
};

const lines = createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  let reply;
  try {
    const message = JSON.parse(line);
    const command = COMMANDS[/** @type {keyof typeof COMMANDS} */ (message.cmd)];
    if (!command) throw new Error(`Unknown command "${message.cmd}"`);
    reply = await command(message);
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
// The coordinator went away: so do we.
lines.on("close", () => process.exit(0));
