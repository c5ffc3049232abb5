/**
 * @module Structured logs: one line per thing an operator cares about, as JSON (for shipping) or
 * pretty text (for a terminal), filtered by level. The process has one log, configured at
 * start-up, so every edge can write to it without threading it through. Callers pass only
 * fields that are safe to ship: never a token, never a payload.
 */

/** Log levels, least severe first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** How severe a line is. */
export type LogLevel = typeof LOG_LEVELS[number];

/** How lines are written: one JSON object per line, or aligned text for people. */
export type LogFormat = "json" | "pretty";

/** Values a log field may hold. */
export type LogValue = string | number | boolean | null | undefined | readonly string[];

/** A line's fields besides time, level and message. */
export type LogFields = Record<string, LogValue>;

/** Options of {@linkcode configureLog}. */
export interface LogOptions {
  /** Lines below this level are dropped. @default "info" */
  level?: LogLevel;
  /** Line format. @default "json" */
  format?: LogFormat;
  /** Where lines go. @default console.log */
  write?: (line: string) => void;
  /** Milliseconds since the epoch. @default Date.now */
  clock?: () => number;
}

/** Writes structured lines. */
export class Logger {
  #threshold = 1;
  #format: LogFormat = "json";
  #write: (line: string) => void = (line) => console.log(line);
  #clock: () => number = Date.now;

  /** Replaces the options given; the others keep their values. */
  configure(options: LogOptions): void {
    if (options.level !== undefined) this.#threshold = LOG_LEVELS.indexOf(options.level);
    if (options.format !== undefined) this.#format = options.format;
    if (options.write !== undefined) this.#write = options.write;
    if (options.clock !== undefined) this.#clock = options.clock;
  }

  /** Whether lines of `level` are written (to skip building costly fields). */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.#threshold;
  }

  /** Detail for debugging. */
  debug(msg: string, fields?: LogFields): void {
    this.#line("debug", msg, fields);
  }

  /** Something normal worth a line. */
  info(msg: string, fields?: LogFields): void {
    this.#line("info", msg, fields);
  }

  /** Something went wrong for one client, or may soon for many. */
  warn(msg: string, fields?: LogFields): void {
    this.#line("warn", msg, fields);
  }

  /** Something failed that an operator must look at. */
  error(msg: string, fields?: LogFields): void {
    this.#line("error", msg, fields);
  }

  #line(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const time = new Date(this.#clock()).toISOString();
    this.#write(
      this.#format === "json"
        ? JSON.stringify({ time, level, msg, ...fields })
        : pretty(time, level, msg, fields),
    );
  }
}

/** The process's log. */
export const log: Logger = new Logger();

/** Configures the process's log. */
export function configureLog(options: LogOptions): void {
  log.configure(options);
}

/** The message and fields of an error, for a log line (no stack: one line per thing). */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { error: error.message, errorName: error.name, cause };
}

function pretty(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  const rest = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) =>
      `${key}=${typeof value === "string" ? quoted(value) : JSON.stringify(value)}`
    );
  return [time.slice(11, 23), level.toUpperCase().padEnd(5), msg, ...rest].join(" ");
}

function quoted(value: string): string {
  return /^[\w.:/@-]+$/.test(value) ? value : JSON.stringify(value);
}
