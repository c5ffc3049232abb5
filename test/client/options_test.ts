/**
 * @module `io()`'s options: the connection URL they produce, their defaults, and bad values
 * rejected at once with a `TypeError` or `RangeError`.
 */
import assert from "node:assert/strict";
import { resolveOptions } from "../../client/options.ts";

Deno.test("resolveOptions() turns http(s) into ws(s) and implies the /ws path", () => {
  const url = (base: string) => resolveOptions(base, {}).next().href;
  assert.equal(url("http://localhost:8000"), "ws://localhost:8000/ws?batch=1");
  assert.equal(url("https://example.com/"), "wss://example.com/ws?batch=1");
  assert.equal(url("ws://127.0.0.1:1/ws"), "ws://127.0.0.1:1/ws?batch=1");
  assert.equal(url("http://host/switchboard"), "ws://host/switchboard/ws?batch=1");
});

Deno.test("resolveOptions() asks for array frames unless the query says batch=0", () => {
  const url = (base: string, query = {}) => resolveOptions(base, { query }).next().href;
  assert.equal(url("http://h/?batch=0"), "ws://h/ws?batch=0");
  assert.equal(url("http://h", { batch: 0 }), "ws://h/ws?batch=0");
});

Deno.test("resolveOptions() with several URLs goes to the next host on each connection", () => {
  const options = resolveOptions(["http://a:1/?x=1", "http://b:2", "ws://c:3/ws"], {
    role: "dashboard",
  });
  const hrefs = Array.from({ length: 4 }, () => options.next().href);
  assert.deepEqual(hrefs, [
    "ws://a:1/ws?batch=1&x=1&role=dashboard",
    "ws://b:2/ws?batch=1&x=1&role=dashboard",
    "ws://c:3/ws?batch=1&x=1&role=dashboard",
    "ws://a:1/ws?batch=1&x=1&role=dashboard",
  ]);
});

Deno.test("resolveOptions() with a URL function asks it before every connection", () => {
  const nodes = ["http://a:1/?x=1", "http://b:2/ignored?y=2"];
  let calls = 0;
  const options = resolveOptions(() => nodes[calls++ % 2], {});
  // Called once up front for the path and query, then once per connection for the host.
  assert.equal(calls, 1);
  const hrefs = Array.from({ length: 3 }, () => options.next().href);
  assert.deepEqual(hrefs, [
    "ws://b:2/ws?batch=1&x=1",
    "ws://a:1/ws?batch=1&x=1",
    "ws://b:2/ws?batch=1&x=1",
  ]);
  assert.equal(calls, 4);
});

Deno.test("resolveOptions() takes the first session out of the query", () => {
  const options = resolveOptions("http://h/?session_id=url_session&x=1", {
    query: { lastSeq: 7, epoch: "e1", events: "skill:*,command", token: "t" },
    role: "orchestrator",
  });
  assert.deepEqual(options.session, {
    id: "url_session",
    lastSeq: 7,
    epoch: "e1",
    events: ["skill:*", "command"],
  });
  // The client puts session, lastSeq, epoch and events back on each connection itself.
  assert.equal(options.next().href, "ws://h/ws?batch=1&x=1&token=t&role=orchestrator");
  assert.equal(resolveOptions("http://h", { query: { session_id: "a" } }).session?.id, "a");
  assert.equal(
    resolveOptions("http://h", { session: "b", query: { session: "a" } }).session?.id,
    "b",
  );
  assert.equal(resolveOptions("http://h", {}).session, undefined);
});

Deno.test("resolveOptions() documents its defaults", () => {
  const { next: _next, WebSocket, ...rest } = resolveOptions("http://h", {});
  assert.equal(WebSocket, globalThis.WebSocket);
  assert.deepEqual(rest, {
    session: undefined,
    auth: undefined,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    renewAuth: false,
    randomizationFactor: 0.5,
    timeout: 20_000,
    ackTimeout: 10_000,
    maxBufferedEmits: 100,
  });
});

Deno.test("resolveOptions() rejects bad values at once", () => {
  for (
    const bad of [
      { reconnectionDelay: 0 },
      { reconnectionDelayMax: -1 },
      { randomizationFactor: 1.5 },
      { timeout: Number.NaN },
      { ackTimeout: 0 },
      { maxBufferedEmits: -1 },
      { reconnectionAttempts: -1 },
    ]
  ) {
    assert.throws(() => resolveOptions("http://h", bad), RangeError, JSON.stringify(bad));
  }
  const saved = globalThis.WebSocket;
  try {
    // @ts-expect-error: simulate a runtime without a global WebSocket
    delete globalThis.WebSocket;
    assert.throws(() => resolveOptions("http://h", {}), TypeError);
  } finally {
    globalThis.WebSocket = saved;
  }
});
