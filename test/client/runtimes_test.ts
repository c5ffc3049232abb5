/**
 * @module The client runs unchanged in each runtime: it type-checks under the DOM library, and
 * the built bundle connects, receives live events, sends HALT, sees `command:result` and resumes
 * after a network cut in Node (global WebSocket, and `ws` passed as the option) and in Debian's
 * headless Chromium. Deno itself is covered by every other client test.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import type { RunningServer } from "../../src/mod.ts";
import { startTestServer } from "../_helpers.ts";
import { buildBundle } from "./_bundle.ts";
import { BROWSER_TEST, CHROMIUM, nodeWebSocketFlags } from "./_helpers.ts";
import { type Proxy, startProxy } from "./_proxy.ts";

const ROOT = new URL("../../", import.meta.url);
const NODE_DIR = new URL("node/", import.meta.url);
const SESSION = "rt";

/** What a runtime's scenario reports at the end. */
interface Report {
  globalWebSocket: string;
  seen: { seq: number; event: string }[];
  reconnects: number;
  recovered: boolean;
  ack: Record<string, unknown>;
  result: Record<string, unknown>;
}

async function publish(server: RunningServer, events: { event: string; payload: object }[]) {
  const response = await fetch(`${server.url}/api/sessions/${SESSION}/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  assert.equal(response.status, 201, await response.text());
}

/**
 * A server with two events already in session "rt", behind a proxy; `run` gets the proxy and a
 * `cutAndPublish` to call once the client reports ready, and returns the client's report.
 */
async function scenario(
  run: (proxy: Proxy, cutAndPublish: () => Promise<void>) => Promise<Report>,
) {
  const server = await startTestServer();
  const proxy = startProxy(server.port);
  try {
    await publish(server, [
      { event: "execution:started", payload: { task: "demo" } },
      { event: "skill:started", payload: { skill: "lint" } },
    ]);
    const report = await run(proxy, async () => {
      proxy.cut();
      await publish(server, [
        { event: "skill:completed", payload: { skill: "lint" } },
        { event: "execution:completed", payload: {} },
      ]);
    });
    assert.deepEqual(report.seen.map((e) => [e.seq, e.event]), [
      [1, "execution:started"],
      [2, "skill:started"],
      [3, "command"],
      [4, "execution:halted"],
      [5, "skill:completed"],
      [6, "execution:completed"],
    ]);
    assert.equal(report.result.success, true);
    assert.equal(report.result.state, "halted");
    assert.deepEqual(report.ack, report.result);
    assert.ok(report.reconnects >= 1);
    assert.equal(report.recovered, true);
    return report;
  } finally {
    await proxy.close();
    await server.close();
  }
}

/** Runs the Node scenario with `flags`; cuts and publishes when it prints `ready`. */
async function runNode(flags: string[], transport?: "ws"): Promise<Report> {
  const bundle = await buildBundle();
  return await scenario(async (proxy, cutAndPublish) => {
    const child = new Deno.Command("node", {
      args: [...flags, "scenario.mjs", bundle, proxy.url, ...transport ? [transport] : []],
      cwd: NODE_DIR,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    let last: (Report & { step: string }) | undefined;
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        last = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (last!.step === "ready") await cutAndPublish();
      }
    }
    const status = await child.status;
    assert.equal(status.code, 0, `node failed: ${JSON.stringify(last)}\n${await stderr}`);
    assert.equal(last?.step, "done");
    return last!;
  });
}

Deno.test("runtimes: the client type-checks under the DOM library (no Deno types)", async () => {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--config", "client/deno.json", "client/mod.ts"],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});

Deno.test("runtimes: Node with its global WebSocket (--experimental-websocket on Node 20)", async () => {
  const report = await runNode(await nodeWebSocketFlags());
  assert.equal(report.globalWebSocket, "function");
});

Deno.test("runtimes: Node with npm:ws passed as the WebSocket option", async () => {
  try {
    await Deno.stat(new URL("node_modules/ws/package.json", NODE_DIR));
  } catch {
    throw new Error("Missing test/client/node/node_modules: run npm ci --prefix test/client/node");
  }
  const report = await runNode([], "ws");
  if ((await nodeWebSocketFlags()).length > 0) {
    assert.equal(report.globalWebSocket, "undefined", "no global: ws did the work");
  }
});

Deno.test({
  name: "runtimes: a page in headless Chromium imports /client.js from the server",
  ...BROWSER_TEST,
}, async () => {
  await buildBundle();
  const browser = await chromium.launch(CHROMIUM);
  try {
    await scenario(async (proxy, cutAndPublish) => {
      const page = await browser.newPage();
      // The page comes from the server (through the proxy), like a dashboard served beside it.
      await page.goto(`${proxy.url}/health`);
      await page.evaluate(startInPage, { session: SESSION });
      await cutAndPublish();
      return await page.evaluate(finishInPage) as Report;
    });
  } finally {
    await browser.close();
  }
});

type PageState = Report & { socket: { disconnect(): void; recovered: boolean } };

/** Runs in the page: connects, waits for the first events, sends HALT. */
async function startInPage({ session }: { session: string }): Promise<void> {
  const source = "/client.js";
  const { io } = await import(source);
  const state = {
    globalWebSocket: typeof WebSocket,
    seen: [],
    reconnects: 0,
    log: [],
  } as unknown as
    & PageState
    & { until(p: () => boolean): Promise<void>; log: string[] };
  const socket = state.socket = io(location.origin, {
    query: { session_id: session },
    reconnectionDelay: 20,
    reconnectionDelayMax: 100,
  });
  socket.onAny((event: string, _payload: unknown, meta: { seq?: number }) => {
    if (meta.seq !== undefined) state.seen.push({ seq: meta.seq, event });
  });
  socket.on("reconnect", () => state.reconnects++);
  socket.on("connect_error", (error: Error) => state.log.push(`connect_error ${error.message}`));
  socket.on("disconnect", (reason: string) => state.log.push(`disconnect ${reason}`));
  state.until = (predicate) =>
    new Promise((resolve, reject) => {
      // A deadline turns a hang into a failure that says what the page saw.
      const deadline = setTimeout(() => {
        finish();
        reject(new Error(`Page timed out: ${JSON.stringify({ ...state, socket: undefined })}`));
      }, 15_000);
      const finish = () => {
        clearTimeout(deadline);
        offAny();
        offConnect();
      };
      const check = () => {
        if (!predicate()) return;
        finish();
        resolve();
      };
      const offAny = socket.onAny(check);
      const offConnect = socket.on("connect", check);
      check();
    });
  (globalThis as unknown as { state: typeof state }).state = state;
  await state.until(() => state.seen.length >= 2);
  const pushed = new Promise((resolve) => socket.once("command:result", resolve));
  state.ack = await socket.emitWithAck("command", { type: "HALT", reason: "from the page" });
  state.result = await pushed as Record<string, unknown>;
  await state.until(() => state.seen.length >= 4);
}

/** Runs in the page: waits for the events published after the cut, then disconnects. */
async function finishInPage(): Promise<Report> {
  const { state } = globalThis as unknown as {
    state: PageState & { until(p: () => boolean): Promise<void> };
  };
  await state.until(() => state.seen.length >= 6 && state.reconnects >= 1);
  state.recovered = state.socket.recovered;
  state.socket.disconnect();
  const { socket: _socket, until: _until, log: _log, ...report } = state as typeof state & {
    log: string[];
  };
  return report;
}
