/**
 * @module Inbound rate limits: token buckets per connection and per token subject, one pair for
 * all frames and a stricter pair for commands, plus a strike count that ends persistent abuse.
 */
import { BoundedMap } from "../hub/bounded_map.ts";
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
}

/** Subjects whose buckets are remembered; the least recently active are forgotten first. */
const MAX_SUBJECTS = 10_000;

/** The limits one connection is held to. */
export interface ConnectionLimiter {
  /** Takes a frame token (connection and subject); `false` means rate limited. */
  allowFrame(): boolean;
  /** Takes a command token (connection and subject). */
  allowCommand(): boolean;
  /** Records a rejected frame; `true` when the connection has earned a close. */
  strike(): boolean;
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

  /** Limits for one connection; `subject` shares buckets with its other connections. */
  forConnection(subject: string | undefined): ConnectionLimiter {
    const o = this.#options;
    const now = this.#clock();
    const frames = new TokenBucket(o.frameRate, o.frameRate * 2, now);
    const commands = new TokenBucket(o.commandRate, o.commandRate * 2, now);
    let strikes = 0;
    let windowStart = now;
    return {
      allowFrame: () => frames.take(this.#clock()) && this.allowSubject(subject, "frame"),
      allowCommand: () => commands.take(this.#clock()) && this.allowSubject(subject, "command"),
      strike: () => {
        const t = this.#clock();
        if (t - windowStart > ABUSE_WINDOW_MS) {
          windowStart = t;
          strikes = 0;
        }
        return ++strikes > o.abuseLimit;
      },
    };
  }

  /**
   * Takes a token from a subject's shared bucket (all its sockets and REST calls draw on it);
   * development mode has no subjects and always passes.
   */
  allowSubject(subject: string | undefined, kind: "frame" | "command"): boolean {
    if (subject === undefined) return true;
    const now = this.#clock();
    let buckets = this.#subjects.get(subject);
    if (!buckets) {
      const o = this.#options;
      buckets = {
        frames: new TokenBucket(o.subjectFrameRate, o.subjectFrameRate * 2, now),
        commands: new TokenBucket(o.subjectCommandRate, o.subjectCommandRate * 2, now),
      };
    }
    // Setting again marks the subject recently active, so eviction takes idle ones.
    this.#subjects.set(subject, buckets);
    return (kind === "frame" ? buckets.frames : buckets.commands).take(now);
  }
}
