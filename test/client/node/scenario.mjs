/**
 * The client in Node, driven by test/client/runtimes_test.ts. Usage:
 *   node [--experimental-websocket] scenario.mjs <bundle.js> <server url> [ws]
 * With "ws" the `ws` package is passed as the WebSocket option; otherwise Node's global one is
 * used. Connects as a dashboard of session "rt", waits for the two events already published,
 * sends HALT, prints {"step":"ready"}; the test then cuts the network and publishes two more;
 * once those arrived after a reconnect it prints {"step":"done", ...what it saw} and exits.
 */
import { pathToFileURL } from "node:url";

const [bundle, url, transport] = process.argv.slice(2);
const report = { globalWebSocket: typeof globalThis.WebSocket, seen: [], reconnects: 0 };
const print = (line) => console.log(JSON.stringify(line));
const deadline = setTimeout(() => {
  print({ step: "timeout", ...report });
  process.exit(1);
}, 20_000);

const { io } = await import(pathToFileURL(bundle).href);
const options = { query: { session_id: "rt" }, reconnectionDelay: 20, reconnectionDelayMax: 100 };
if (transport === "ws") options.WebSocket = (await import("ws")).default;
const socket = io(url, options);
socket.onAny((event, payload, meta) => {
  if (meta.seq !== undefined) report.seen.push({ seq: meta.seq, event, payload });
});
socket.on("reconnect", () => report.reconnects++);

/** Resolves once `predicate()` holds, checking after every event and every (re)connect. */
function until(predicate) {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate()) return;
      offAny();
      offConnect();
      resolve();
    };
    const offAny = socket.onAny(check);
    const offConnect = socket.on("connect", check);
    check();
  });
}

await until(() => report.seen.length >= 2);
const pushed = new Promise((resolve) => socket.once("command:result", resolve));
report.ack = await socket.emitWithAck("command", { type: "HALT", reason: "from node" });
report.result = await pushed;
await until(() => report.seen.length >= 4);
print({ step: "ready" });
await until(() => report.seen.length >= 6 && report.reconnects >= 1);
report.recovered = socket.recovered;
socket.disconnect();
clearTimeout(deadline);
print({ step: "done", ...report });
