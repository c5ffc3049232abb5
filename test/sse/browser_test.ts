/**
 * @module A real `EventSource` in headless Chromium follows a session across a server killed
 * with SIGKILL and started again: it reconnects by itself with `Last-Event-ID`, and every event
 * arrives exactly once, in order.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { BROWSER_TEST, CHROMIUM } from "../client/_helpers.ts";
import { respawnServer, spawnServer } from "../client/_server_process.ts";

const SESSION = "browser-sse";

async function publish(url: string, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) {
    const response = await fetch(`${url}/api/sessions/${SESSION}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: "custom:n", payload: { n } }),
    });
    assert.equal(response.status, 201);
    await response.body?.cancel();
  }
}

/** Runs in the page: follows the session with EventSource, recording every record. */
function followInPage(session: string): void {
  const w = globalThis as unknown as {
    seen: { seq: number; n: number; lastEventId: string }[];
    opens: number;
    EventSource: new (url: string) => {
      onopen: () => void;
      addEventListener(name: string, f: (e: { data: string; lastEventId: string }) => void): void;
    };
  };
  w.seen = [];
  w.opens = 0;
  const source = new w.EventSource(`/api/sessions/${session}/stream?events=custom:*`);
  source.onopen = () => w.opens++;
  source.addEventListener("custom:n", (e) => {
    const frame = JSON.parse(e.data);
    w.seen.push({ seq: frame.seq, n: frame.payload.n, lastEventId: e.lastEventId });
  });
}

Deno.test({
  name: "EventSource in Chromium resumes across a server restart with no gap or duplicate",
  ...BROWSER_TEST,
}, async () => {
  const dir = await Deno.makeTempDir();
  const args = ["--store", `sqlite:${dir}/sse.db`, "--heartbeat-ms", "0"];
  let server = await spawnServer(["--port", "0", ...args]);
  const browser = await chromium.launch(CHROMIUM);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/health`);
    await page.evaluate(followInPage, SESSION);
    const seen = () =>
      page.evaluate(() =>
        (globalThis as unknown as { seen: { seq: number; n: number; lastEventId: string }[] })
          .seen
      );
    await publish(server.url, 1, 5);
    await page.waitForFunction(() =>
      (globalThis as unknown as { seen: unknown[] }).seen.length === 5
    );

    await server.kill();
    server = await respawnServer(server.port, args);
    // EventSource reconnects on its own (retry: 1000) and sends Last-Event-ID: 5.
    await page.waitForFunction(() => (globalThis as unknown as { opens: number }).opens >= 2, {
      timeout: 15_000,
    });
    await publish(server.url, 6, 10);
    await page.waitForFunction(() =>
      (globalThis as unknown as { seen: unknown[] }).seen.length >= 10
    );
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
    const records = await seen();
    assert.deepEqual(records.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(records.map((r) => r.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(records.map((r) => r.lastEventId), records.map((r) => String(r.seq)));
  } finally {
    await browser.close();
    await server.kill();
    await Deno.remove(dir, { recursive: true });
  }
});
