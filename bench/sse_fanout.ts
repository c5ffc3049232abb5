/**
 * @module A quick fan-out measure for the event stream: N readers of one session (SSE, or
 * WebSockets with `ws` for comparison) in this process, a server child process on the memory
 * store, 500 events published in batches of 50; prints the time until every reader had them.
 *
 * `deno run -A bench/sse_fanout.ts 100` or `deno run -A bench/sse_fanout.ts 100 ws`.
 */
import { spawnServer } from "../test/client/_server_process.ts";

const READERS = Number(Deno.args[0] ?? 100);
const WS = Deno.args[1] === "ws";
const EVENTS = 500;
const BATCH = 50;

const server = await spawnServer([
  "--port",
  "0",
  "--store",
  "memory",
  "--heartbeat-ms",
  "0",
]);
const counts = new Array<number>(READERS).fill(0);
const closers: (() => void)[] = [];
let done = 0;
const everyoneHasAll = new Promise<void>((resolve) => {
  const count = (r: number, n: number) => {
    counts[r] += n;
    if (counts[r] >= EVENTS && counts[r] - n < EVENTS && ++done === READERS) {
      resolve();
    }
  };
  for (let r = 0; r < READERS; r++) {
    if (WS) {
      const ws = new WebSocket(
        `${server.url.replace("http", "ws")}/ws?session=bench&role=dashboard`,
      );
      closers.push(() => ws.close());
      ws.onmessage = (m) => (m.data as string).includes('"seq"') && count(r, 1);
      continue;
    }
    const abort = new AbortController();
    closers.push(() => abort.abort());
    fetch(`${server.url}/api/sessions/bench/stream?events=custom:*`, {
      signal: abort.signal,
    })
      .then(async (response) => {
        const reader = response.body!.pipeThrough(new TextDecoderStream())
          .getReader();
        let tail = "";
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({
            value: "",
            done: true,
          }));
          if (done) return;
          const records = (tail + value).split("\n\n");
          tail = records.pop()!;
          count(
            r,
            records.filter((record) => record.startsWith("id: ")).length,
          );
        }
      });
  }
});
await new Promise((resolve) => setTimeout(resolve, 1500)); // every reader subscribed

const started = performance.now();
const body = JSON.stringify(
  Array.from(
    { length: BATCH },
    (_, i) => ({ event: "custom:x", payload: { i, pad: "x".repeat(200) } }),
  ),
);
for (let b = 0; b < EVENTS / BATCH; b++) {
  const response = await fetch(`${server.url}/api/sessions/bench/events`, {
    method: "POST",
    body,
  });
  await response.body?.cancel();
}
await everyoneHasAll;
const ms = performance.now() - started;
const kind = WS ? "WebSocket" : "SSE";
const took = `${Math.round(ms)} ms`;
const rate = `${Math.round((READERS * EVENTS) / ms * 1000)} deliveries/s`;
console.log(`${kind}: ${READERS} readers x ${EVENTS} events in ${took}, ${rate}`);
for (const close of closers) close();
await server.kill();
