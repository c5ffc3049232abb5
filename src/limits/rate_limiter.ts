/**
 * @module Inbound rate limits: token buckets per connection and per token subject, one pair for
 * all frames and a stricter pair for commands, plus a strike count that ends persistent abuse.
 * Orchestrators and admins publish fast (an agent streaming tokens), so their frame rates and
 * abuse limit are their own; dashboards keep tight ones.
 */
import type { Principal } from "../auth/identity.ts";
import { BoundedMap } from "../hub/bounded_map.ts";
import { TokenBucket } from "./token_bucket.ts";

/** Rates are per second; bursts are twice the rate. */
export interface RateLimitOptions {
  /** Frames a dashboard connection may send per second. @default 500 */
  frameRate: number;
  /** Frames an orchestrator or admin connection may send per second. @default 10000 */
  orchestratorFrameRate: number;
  /** Commands a connection may send per second. @default 20 */
  commandRate: number;
  /** Frames all connections of one dashboard subject may send per second. @default 2000 */
  subjectFrameRate: number;
  /** Frames all connections of one orchestrator or admin subject may send per second. @default 20000 */
  orchestratorSubjectFrameRate: number;
  /** Commands all connections of one token subject may send per second. @default 50 */
  subjectCommandRate: number;
  /** Rejected frames within 10 s after which a dashboard connection is closed. @default 200 */
  abuseLimit: number;
  /** Rejected frames within 10 s after which an orchestrator or admin is closed. @default 50000 */
  orchestratorAbuseLimit: number;
  /** Milliseconds, monotonic. @default performance.now */
  clock?: () => number;
}

const ABUSE_WINDOW_MS = 10_000;

interface SubjectBuckets {
  frames: TokenBucket;
  commands: TokenBucket;
}

/** Subjects whose buckets are remembered; the least recently active are forgotten first. */
const MAX_SUBJECTS = 10_000;

/** The limits one caller (a connection, or a REST request) is held to. */
export interface ConnectionLimiter {
  /** Takes a frame token (connection and subject); `false` means rate limited. */
  allowFrame(): boolean;
  /** Takes a command token (connection and subject). */
  allowCommand(): boolean;
  /** Records a rejected frame; `true` when the connection has earned a close. */
  strike(): boolean;
}

type Who = Pick<Principal, "subject" | "role">;

/**
 * One connection's limits. A class rather than closures, and the command bucket is made on the
 * first command (most connections never send one): thousands of idle sockets each hold only
 * this object and their frame bucket.
 */
class ConnectionLimits implements ConnectionLimiter {
  readonly #limiter: RateLimiter;
  readonly #options: RateLimitOptions;
  readonly #who: Who;
  readonly #frames: TokenBucket;
  #commands: TokenBucket | undefined;
  #strikes = 0;
  #windowStart: number;

  constructor(limiter: RateLimiter, options: RateLimitOptions, who: Who, now: number) {
    this.#limiter = limiter;
    this.#options = options;
    this.#who = who;
    const rate = who.role === "dashboard" ? options.frameRate : options.orchestratorFrameRate;
    this.#frames = new TokenBucket(rate, rate * 2, now);
    this.#windowStart = now;
  }

  allowFrame(): boolean {
    return this.#frames.take(this.#limiter.now()) &&
      this.#limiter.allowSubject(this.#who, "frame");
  }

  allowCommand(): boolean {
    const now = this.#limiter.now();
    const { commandRate } = this.#options;
    // Made full on first use, as it would be had it existed from the start.
    this.#commands ??= new TokenBucket(commandRate, commandRate * 2, now);
    return this.#commands.take(now) && this.#limiter.allowSubject(this.#who, "command");
  }

  strike(): boolean {
    const t = this.#limiter.now();
    if (t - this.#windowStart > ABUSE_WINDOW_MS) {
      this.#windowStart = t;
      this.#strikes = 0;
    }
    const { abuseLimit, orchestratorAbuseLimit } = this.#options;
    return ++this.#strikes > (this.#who.role === "dashboard" ? abuseLimit : orchestratorAbuseLimit);
  }
}

/** Hands out per-connection limiters that share per-subject buckets. */
export class RateLimiter {
  readonly #options: RateLimitOptions;
  readonly #clock: () => number;
  readonly #subjects = new BoundedMap<string, SubjectBuckets>(MAX_SUBJECTS);

  /** Creates a limiter with the given rates. */
  constructor(options: RateLimitOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** Limits for one connection; its subject shares buckets with its other connections. */
  forConnection(who: Who): ConnectionLimiter {
    return new ConnectionLimits(this, this.#options, who, this.#clock());
  }

  /** The limiter's clock, milliseconds. */
  now(): number {
    return this.#clock();
  }

  /** Limits for one REST request: only the subject's shared buckets, and never a close. */
  forRequest(who: Who): ConnectionLimiter {
    return {
      allowFrame: () => this.allowSubject(who, "frame"),
      allowCommand: () => this.allowSubject(who, "command"),
      strike: () => false,
    };
  }

  /**
   * Takes a token from a subject's shared bucket (all its sockets and REST calls draw on it);
   * development mode has no subjects and always passes.
   */
  allowSubject(who: Who, kind: "frame" | "command"): boolean {
    if (who.subject === undefined) return true;
    const key = `${who.role}:${who.subject}`;
    const now = this.#clock();
    let buckets = this.#subjects.get(key);
    if (!buckets) {
      const o = this.#options;
      const frameRate = who.role === "dashboard"
        ? o.subjectFrameRate
        : o.orchestratorSubjectFrameRate;
      buckets = {
        frames: new TokenBucket(frameRate, frameRate * 2, now),
        commands: new TokenBucket(o.subjectCommandRate, o.subjectCommandRate * 2, now),
      };
    }
    // Setting again marks the subject recently active, so eviction takes idle ones.
    this.#subjects.set(key, buckets);
    return (kind === "frame" ? buckets.frames : buckets.commands).take(now);
  }
}
