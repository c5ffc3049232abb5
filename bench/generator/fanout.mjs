/**
 * @module One fan-out step: the publisher sends open-loop on a fixed schedule, each event
 * carrying its scheduled send time, and every subscriber measures latency from that time, so a
 * server (or generator) that falls behind shows as latency instead of hiding it (no coordinated
 * omission).
 */
import { Histogram } from "./histogram.mjs";
import { now } from "./peer.mjs";
import { readT, readTick, tick } from "./wire.mjs";

/** About 90 bytes of filler, so a tick is the size of a typical small agent event. */
const PAD = "x".repeat(90);

/**
 * @typedef {object} StepOptions
 * @property {number} first index of the step's first event (indexes never repeat in a run)
 * @property {number} count events to publish
 * @property {number} rate events per second
 * @property {number} startAt epoch ms of the first scheduled send
 * @property {number} drainMs how long to wait after the last send for deliveries to arrive
 * @property {boolean} publish whether this process holds the publisher
 * @property {number} [probeMs] send a round-trip probe this often during the step
 */

/** What one step measures in this process. */
export class Step {
  /**
   * @param {StepOptions} options
   * @param {number} subscribers subscribers this process holds
   */
  constructor(options, subscribers) {
    this.options = options;
    this.latency = new Histogram();
    this.ack = new Histogram();
    this.rtt = new Histogram();
    /** Latest arrival of each event over this process's subscribers (ms after schedule). */
    this.last = new Float64Array(options.count).fill(-1);
    this.perSubscriber = new Uint32Array(subscribers);
    this.received = 0;
    this.stale = 0;
    this.acked = 0;
    this.nacked = 0;
    this.sent = 0;
    this.lastArrival = 0;
    this.interval = 1000 / options.rate;
  }

  /**
   * A tick arrived at subscriber `sub`.
   * @param {number} sub
   * @param {Buffer} buf
   * @param {number} at
   */
  tick(sub, buf, at) {
    readTick(buf);
    const slot = tick.i - this.options.first;
    if (!(slot >= 0 && slot < this.options.count)) {
      this.stale++;
      return;
    }
    const ms = at - tick.t;
    this.latency.record(ms);
    this.received++;
    this.perSubscriber[sub]++;
    if (ms > this.last[slot]) this.last[slot] = ms;
    this.lastArrival = at;
  }

  /**
   * The publisher's ack for event `id` arrived.
   * @param {number} id
   * @param {boolean} ok
   * @param {number} at
   */
  acknowledged(id, ok, at) {
    const slot = id - this.options.first;
    if (!(slot >= 0 && slot < this.options.count)) return;
    if (!ok) {
      this.nacked++;
      return;
    }
    this.acked++;
    this.ack.record(at - (this.options.startAt + slot * this.interval));
  }

  /**
   * A probe reply arrived.
   * @param {Buffer} buf
   * @param {number} at
   */
  pong(buf, at) {
    this.rtt.record(at - readT(buf));
  }

  /** Whether every subscriber here has every event. */
  get complete() {
    return this.received >= this.options.count * this.perSubscriber.length;
  }
}

/**
 * Runs the publisher's schedule: sends every event whose time has come, then sleeps until the
 * next one. Late sends keep their scheduled time in the payload.
 * @param {Step} step
 * @param {(i: number, body: string) => void} send
 * @returns {Promise<void>}
 */
export function publishOnSchedule(step, send) {
  const { first, count, startAt } = step.options;
  return new Promise((resolve) => {
    const pump = () => {
      const t = now();
      while (step.sent < count) {
        const scheduled = startAt + step.sent * step.interval;
        if (scheduled > t) break;
        send(
          first + step.sent,
          `{"t":${scheduled.toFixed(3)},"i":${first + step.sent},"pad":"${PAD}"}`,
        );
        step.sent++;
      }
      if (step.sent >= count) return resolve();
      const wait = startAt + step.sent * step.interval - now();
      setTimeout(pump, Math.max(0, Math.floor(wait)));
    };
    setTimeout(pump, Math.max(0, Math.floor(startAt - now())));
  });
}

/**
 * Sends a probe every `everyMs` until `until` (epoch ms).
 * @param {number} everyMs
 * @param {number} until
 * @param {(id: number, body: string) => void} send
 * @returns {Promise<void>}
 */
export function probeUntil(everyMs, until, send) {
  return new Promise((resolve) => {
    let id = 1;
    const timer = setInterval(() => {
      if (now() >= until) {
        clearInterval(timer);
        resolve();
        return;
      }
      send(id++, `{"t":${now().toFixed(3)}}`);
    }, everyMs);
  });
}

/**
 * Resolves once `done()` holds or `deadline` (epoch ms) passes, polling every 10 ms.
 * @param {() => boolean} done
 * @param {number} deadline
 */
export async function until(done, deadline) {
  while (!done() && now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Reads an ack's verdict: Switchboard's `"ok":true`, Socket.IO's `[true]`.
 * @param {Buffer} buf
 */
export function ackOk(buf) {
  return buf.indexOf("true") >= 0;
}
