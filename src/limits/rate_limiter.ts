/**
 * @module Inbound rate limits: token buckets per connection and per token subject, one pair for
 * all frames and a stricter pair for commands, plus a strike count that ends persistent abuse.
 */
import { TokenBucket } from "./token_bucket.ts";

/** Rates are per second; bursts are twice the rate. */
export interface RateLimitOptions {
  /** Frames a connection may send per second. @default 500 */
  frameRate: number;
  /** Commands a connection may send per second. @default 20 */
  commandRate: number;
  /** Frames all connections of one token subject may send per second. @default 2000 */
  subjectFrameRate: number;
  /** Commands all connections of one token subject may send per second. @default 50 */
  subjectCommandRate: number;
  /** Rejected frames within 10 s after which the connection is closed. @default 200 */
  abuseLimit: number;
  /** Milliseconds, monotonic. @default performance.now */
  clock?: () => number;
}

const ABUSE_WINDOW_MS = 10_000;

interface SubjectBuckets {
  frames: TokenBucket;
  commands: TokenBucket;
  users: number;
}

/** The limits one connection is held to. */
export interface ConnectionLimiter {
  /** Takes a frame token (connection and subject); `false` means rate limited. */
  allowFrame(): boolean;
  /** Takes a command token (connection and subject). */
  allowCommand(): boolean;
  /** Records a rejected frame; `true` when the connection has earned a close. */
  strike(): boolean;
  /** Releases the connection's share of its subject's buckets. */
  release(): void;
}

/** Hands out per-connection limiters that share per-subject buckets. */
export class RateLimiter {
  readonly #options: RateLimitOptions;
  readonly #clock: () => number;
  readonly #subjects = new Map<string, SubjectBuckets>();

  /** Creates a limiter with the given rates. */
  constructor(options: RateLimitOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** Limits for one connection; `subject` shares buckets with its other connections. */
  forConnection(subject: string | undefined): ConnectionLimiter {
    const o = this.#options;
    const now = this.#clock();
    const frames = new TokenBucket(o.frameRate, o.frameRate * 2, now);
    const commands = new TokenBucket(o.commandRate, o.commandRate * 2, now);
    const shared = subject === undefined ? undefined : this.#share(subject);
    let strikes = 0;
    let windowStart = now;
    let released = false;
    return {
      allowFrame: () => {
        const t = this.#clock();
        return frames.take(t) && (shared?.frames.take(t) ?? true);
      },
      allowCommand: () => {
        const t = this.#clock();
        return commands.take(t) && (shared?.commands.take(t) ?? true);
      },
      strike: () => {
        const t = this.#clock();
        if (t - windowStart > ABUSE_WINDOW_MS) {
          windowStart = t;
          strikes = 0;
        }
        return ++strikes > o.abuseLimit;
      },
      release: () => {
        if (released || subject === undefined) return;
        released = true;
        const buckets = this.#subjects.get(subject);
        if (buckets && --buckets.users === 0) this.#subjects.delete(subject);
      },
    };
  }

  #share(subject: string): SubjectBuckets {
    let buckets = this.#subjects.get(subject);
    if (!buckets) {
      const o = this.#options;
      const now = this.#clock();
      buckets = {
        frames: new TokenBucket(o.subjectFrameRate, o.subjectFrameRate * 2, now),
        commands: new TokenBucket(o.subjectCommandRate, o.subjectCommandRate * 2, now),
        users: 0,
      };
      this.#subjects.set(subject, buckets);
    }
    buckets.users++;
    return buckets;
  }
}
