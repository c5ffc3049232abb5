/**
 * @module The per-address cap does not break a single host: 1,100 WebSockets from loopback (a
 * local benchmark, or a proxy on the same machine) are all accepted with the default settings.
 */
import assert from "node:assert/strict";
import { startTestServer, waitFor } from "../_helpers.ts";

const CONNECTIONS = 1_100;

Deno.test("1,100 WebSockets from loopback are accepted with the defaults", async () => {
  const server = await startTestServer();
  const url = `${server.url.replace("http", "ws")}/ws?role=dashboard`;
  const sockets: WebSocket[] = [];
  const closed: Promise<void>[] = [];
  try {
    const connected = Array.from({ length: CONNECTIONS }, () => {
      const ws = new WebSocket(url);
      sockets.push(ws);
      closed.push(new Promise((resolve) => ws.addEventListener("close", () => resolve())));
      return new Promise<boolean>((resolve) => {
        ws.addEventListener("message", (m) => resolve(String(m.data).includes('"connected"')), {
          once: true,
        });
        ws.addEventListener("close", () => resolve(false), { once: true });
      });
    });
    const outcomes = await Promise.all(connected);
    assert.equal(outcomes.filter(Boolean).length, CONNECTIONS);
    assert.equal(server.hub.connectionCount, CONNECTIONS);
  } finally {
    for (const ws of sockets) ws.close();
    await Promise.all(closed);
    await waitFor(() => server.hub.connectionCount === 0 || undefined, "every close", 20_000);
    await server.close();
  }
});
