/**
 * @module Drives load-generator processes (bench/generator/main.mjs on Node): one JSON line per
 * request and per answer, and merging when the load is split over several processes.
 */
import { BENCH_DIR } from "./_npm.ts";

/** A sparse latency histogram as a generator reports it. */
export interface SparseHistogram {
  sparse: [number, number][];
  max: number;
}

/** What a generator answers for one fan-out step. */
export interface StepReport {
  subscribers: number;
  sent: number;
  acked: number;
  nacked: number;
  received: number;
  expected: number;
  stale: number;
  incompleteSubscribers: number;
  dropped: number;
  lastArrival: number;
  latency: SparseHistogram;
  ack: SparseHistogram;
  rtt: SparseHistogram;
  /** Per event: ms from its scheduled send to its last arrival here (-1: never arrived). */
  last: number[];
  cpuMs: number;
}

const REQUEST_TIMEOUT_MS = 180_000;

/** One generator process. */
export class Generator {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;
  #queue: Promise<unknown> = Promise.resolve();

  /** Spawns a generator for the server at `wsUrl` speaking `wire`, pinned to `core` if given. */
  constructor(wire: string, wsUrl: string, core?: number) {
    const profile = Deno.env.get("BENCH_GEN_CPU_PROF");
    const args = [
      // BENCH_GEN_CPU_PROF=DIR: a V8 CPU profile of each generator, written there at its exit.
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
      `${BENCH_DIR}generator/main.mjs`,
      "--server",
      wire,
      "--url",
      wsUrl,
    ];
    const command = core === undefined
      ? new Deno.Command("node", {
        args,
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      })
      : new Deno.Command("taskset", {
        args: ["-c", String(core), "node", ...args],
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      });
    this.#child = command.spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = this.#child.stdout
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(splitLines())[Symbol.asyncIterator]();
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Sends a command and resolves with its answer; requests run one at a time. */
  request<T>(command: Record<string, unknown>): Promise<T> {
    const run = this.#queue.then(async () => {
      await this.#writer.write(
        new TextEncoder().encode(JSON.stringify(command) + "\n"),
      );
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`Generator gave no answer to "${command.cmd}" in time`),
            ),
          REQUEST_TIMEOUT_MS,
        );
      });
      try {
        const next = await Promise.race([this.#lines.next(), timeout]);
        if (next.done) {
          throw new Error(`Generator exited during "${command.cmd}"`);
        }
        const answer = JSON.parse(next.value);
        if (typeof answer?.error === "string") {
          throw new Error(`Generator failed "${command.cmd}": ${answer.error}`);
        }
        return answer as T;
      } finally {
        clearTimeout(timer);
      }
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Asks the process to exit, and kills it if it does not within two seconds. */
  async close(): Promise<void> {
    try {
      await this.#writer.write(new TextEncoder().encode('{"cmd":"exit"}\n'));
      await this.#writer.close();
    } catch {
      // Gone already.
    }
    const timer = setTimeout(() => {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // Gone already.
      }
    }, 2000);
    await this.#child.status;
    clearTimeout(timer);
  }
}

/** A stream that splits text into lines. */
function splitLines(): TransformStream<string, string> {
  let buffered = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const part of parts) if (part !== "") controller.enqueue(part);
    },
    flush(controller) {
      if (buffered !== "") controller.enqueue(buffered);
    },
  });
}
