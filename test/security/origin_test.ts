/**
 * @module Cross-site WebSocket hijacking is refused: a page on another origin cannot open a
 * socket to the hub (or call its API from a browser) unless that origin is allowed.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { isOriginAllowed } from "../../src/ws/origin.ts";
import { startTestServer } from "../_helpers.ts";

/** Sends a real upgrade request with an Origin header over TCP; resolves the status code. */
async function upgradeStatus(server: RunningServer, origin: string): Promise<number> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    const request = [
      "GET /ws?session=s HTTP/1.1",
      `Host: 127.0.0.1:${server.port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      `Origin: ${origin}`,
      "",
      "",
    ].join("\r\n");
    await connection.write(new TextEncoder().encode(request));
    const buffer = new Uint8Array(1024);
    const read = await connection.read(buffer);
    const head = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  } finally {
    connection.close();
  }
}

Deno.test("a cross-site WebSocket upgrade is refused; allowed origins get through", async (t) => {
  const server = await startTestServer({ allowedOrigins: ["https://dash.example.com"] });
  try {
    await t.step("an attacker's page: 403", async () => {
      assert.equal(await upgradeStatus(server, "https://evil.example"), 403);
    });
    await t.step("an allowed origin: 101", async () => {
      assert.equal(await upgradeStatus(server, "https://dash.example.com"), 101);
    });
    await t.step("the server's own origin: 101", async () => {
      assert.equal(await upgradeStatus(server, `http://127.0.0.1:${server.port}`), 101);
    });
    await t.step("CORS answers allowed origins only", async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/api/sessions`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        }).then(async (res) => {
          await res.body?.cancel();
          return res.headers.get("access-control-allow-origin");
        });
      assert.equal(await preflight("https://dash.example.com"), "https://dash.example.com");
      assert.equal(await preflight("https://evil.example"), null);
    });
    await t.step("a cross-site simple POST is refused, not just hidden", async () => {
      // text/plain needs no preflight, so CORS alone would let the write happen.
      const post = (origin: string) =>
        fetch(`${server.url}/api/sessions/x/events`, {
          method: "POST",
          headers: { origin, "content-type": "text/plain" },
          body: JSON.stringify({ event: "custom:csrf" }),
        }).then(async (res) => ({ status: res.status, body: await res.json() }));
      const refused = await post("https://evil.example");
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, "FORBIDDEN");
      const history = await fetch(`${server.url}/api/sessions/x/events`);
      assert.equal(history.status, 404, "nothing was created");
      await history.body?.cancel();
      assert.equal((await post("https://dash.example.com")).status, 201);
    });
  } finally {
    await server.close();
  }
});

Deno.test("isOriginAllowed(): loopback pages by default, the list when one is given", () => {
  const url = "http://127.0.0.1:8000/ws";
  assert.equal(isOriginAllowed(undefined, url, undefined), true, "non-browser clients");
  assert.equal(isOriginAllowed("http://localhost:5173", url, undefined), true);
  assert.equal(isOriginAllowed("http://[::1]:3000", url, undefined), true);
  assert.equal(isOriginAllowed("https://evil.example", url, undefined), false);
  assert.equal(isOriginAllowed("null", url, undefined), false, "sandboxed frames");
  assert.equal(isOriginAllowed("http://localhost:5173", url, ["https://a.example"]), false);
  assert.equal(isOriginAllowed("https://a.example", url, ["https://a.example"]), true);
  assert.equal(isOriginAllowed("https://b.example", url, ["*"]), true);
});
