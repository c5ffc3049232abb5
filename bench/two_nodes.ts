/**
 * @module A two-node scenario beside the main benchmark: one publisher on node A, subscribers
 * split between nodes A and B sharing one Redis, against the same load on one node on SQLite.
 * Reports deliveries per second and publish-to-delivery latency (per node for Redis), measured
 * in this process (publisher and subscribers share its clock). Needs `redis-server` on PATH.
 *
 * `deno run -A bench/two_nodes.ts [--subscribers 200] [--events 2000] [--window 32]`
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "200" },
    events: { type: "string", default: "2000" },
    window: { type: "string", default: "32" },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const EVENTS = Number(values.events);
const WINDOW = Number(values.window);
const ROOT = new URL("../", import.meta.url).pathname;

/** A port that was free a moment ago. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Starts a child process and waits until `ready()` resolves true. */
async function spawn(
  cmd: string,
  args: string[],
  ready: () => Promise<boolean>,
) {
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  })
    .spawn();
  for (let i = 0; i < 300 && !(await ready().catch(() => false)); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return { stop: async () => (child.kill("SIGTERM"), await child.status) };
}

async function startNode(store: string) {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    "run",
    "-A",
    "main.ts",
    "--port",
    String(port),
    "--store",
    store,
  ];
  const node = await spawn(
    Deno.execPath(),
    [...args, "--heartbeat-ms", "0"],
    async () => {
      const response = await fetch(`${url}/health`);
      await response.body?.cancel();
      return response.ok;
    },
  );
  return { url, ...node };
}

async function startRedis(dir: string) {
  const port = freePort();
  const args = [
    "--port",
    String(port),
    "--save",
    "",
    "--appendonly",
    "yes",
    "--dir",
    dir,
  ];
  const redis = await spawn("redis-server", args, async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  });
  return { url: `redis://127.0.0.1:${port}`, ...redis };
}

/** Opens `n` dashboards on `url` subscribed to `session`; each records arrival times by seq. */
async function subscribe(
  url: string,
  session: string,
  n: number,
  arrivals: number[][],
) {
  const sockets = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<WebSocket>((resolve) => {
        const ws = new WebSocket(
          `${url.replace("http", "ws")}/ws?session=${session}`,
        );
        const seen: number[] = [];
        arrivals.push(seen);
        ws.onmessage = (m) => {
          const frame = JSON.parse(m.data);
          if (frame.event === "subscribed") resolve(ws);
          else if (typeof frame.seq === "number") {
            seen[frame.seq] = performance.now();
          }
        };
      })),
  );
  return sockets;
}

/** Publishes EVENTS events through `url` with WINDOW in flight; resolves send times by seq. */
function publish(url: string, session: string): Promise<number[]> {
  const sent: number[] = [];
  const byId: number[] = [];
  return new Promise((resolve) => {
    const ws = new WebSocket(
      `${url.replace("http", "ws")}/ws?role=orchestrator`,
    );
    let next = 0;
    let acked = 0;
    const send = () => {
      if (next >= EVENTS) return;
      byId[next] = performance.now();
      ws.send(
        JSON.stringify({
          event: "custom:n",
          session,
          id: next,
          payload: { i: next++ },
        }),
      );
    };
    ws.onmessage = (m) => {
      const frame = JSON.parse(m.data);
      if (frame.event === "connected") {
        for (let k = 0; k < WINDOW; k++) send();
      }
      if (frame.event !== "ack") return;
      sent[frame.payload.seq] = byId[frame.id];
      if (++acked === EVENTS) {
        ws.close();
        resolve(sent);
      } else send();
    };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor(sorted.length * p / 100))
  ];
}

/** Runs the load: subscribers on `urls` in turn, publisher on the first. */
async function run(label: string, urls: string[]) {
  const session = `bench-${crypto.randomUUID().slice(0, 6)}`;
  const arrivals = urls.map(() => [] as number[][]);
  const sockets = [];
  for (const [i, url] of urls.entries()) {
    sockets.push(
      ...await subscribe(url, session, SUBSCRIBERS / urls.length, arrivals[i]),
    );
  }
  const started = performance.now();
  const sent = await publish(urls[0], session);
  const deadline = performance.now() + 30_000;
  const all = arrivals.flat();
  while (
    all.some((seen) => seen.length <= EVENTS) && performance.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (Math.max(...all.map((seen) => seen[EVENTS] ?? 0)) - started) / 1000;
  const row: Record<string, string | number> = {
    scenario: label,
    "deliveries/s": Math.round(SUBSCRIBERS * EVENTS / seconds),
  };
  for (const [i, perNode] of arrivals.entries()) {
    const latencies = perNode.flatMap((seen) => sent.slice(1).map((t, k) => seen[k + 1] - t))
      .filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    const missing = perNode.length * EVENTS - latencies.length;
    row[`node ${i + 1} p50 ms`] = percentile(latencies, 50).toFixed(1);
    row[`node ${i + 1} p99 ms`] = percentile(latencies, 99).toFixed(1);
    if (missing > 0) row[`node ${i + 1} missing`] = missing;
  }
  for (const ws of sockets) ws.close();
  return row;
}

const dir = await Deno.makeTempDir({ prefix: "switchboard-bench-" });
const rows = [];
try {
  const single = await startNode(`sqlite:${dir}/bench.db`);
  try {
    rows.push(await run("1 node, SQLite", [single.url]));
  } finally {
    await single.stop();
  }
  const redis = await startRedis(dir);
  const a = await startNode(redis.url);
  const b = await startNode(redis.url);
  try {
    rows.push(
      await run("2 nodes, Redis (publisher on node 1)", [a.url, b.url]),
    );
  } finally {
    await a.stop();
    await b.stop();
    await redis.stop();
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log(
  `${SUBSCRIBERS} subscribers, ${EVENTS} events, ${WINDOW} publishes in flight`,
);
console.table(rows);
