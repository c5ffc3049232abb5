/**
 * @module The dashboard across a server restart: the server stops (same port, same SQLite
 * file), the page says it is reconnecting, and once the server is back it resumes the session
 * from its last seq: every event once, in order, and the resume reported complete.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { api, startTestServer, waitFor } from "../_helpers.ts";
import { BROWSER_TEST, launch } from "./_browser.ts";

async function linkState(page: Page): Promise<string> {
  return await page.getByTestId("link-state").textContent() ?? "";
}

Deno.test(
  { name: "dashboard: resumes without a gap after a restart", ...BROWSER_TEST },
  async () => {
    const dir = await Deno.makeTempDir();
    const store = `sqlite:${dir}/switchboard.db`;
    let server = await startTestServer({ store });
    const port = Number(new URL(server.url).port);
    const browser = await launch();
    try {
      const publish = (from: number, to: number) =>
        api(
          server,
          "POST",
          "/api/sessions/durable/events",
          Array.from({ length: to - from + 1 }, (_, i) => ({
            event: "custom:step",
            payload: { n: from + i },
          })),
        );
      await publish(1, 5);
      const page = await browser.open(`${server.url}/sessions/durable`);
      await page.getByTestId("stream-count").filter({ hasText: "5 events" }).waitFor();
      await waitFor(async () => (await linkState(page)).startsWith("Live") || undefined, "live");

      await server.close();
      await waitFor(
        async () => (await linkState(page)).includes("Reconnecting") || undefined,
        "down",
      );
      server = await startTestServer({ store, port });
      await publish(6, 12);

      await page.getByTestId("stream-count").filter({ hasText: "12 events" }).waitFor();
      await waitFor(async () => (await linkState(page)) === "Live" || undefined, "live, no gap");
      const seqs = await page.$$eval(
        "[data-seq]",
        (rows) => rows.map((r) => Number(r.getAttribute("data-seq"))),
      );
      assert.deepEqual(
        seqs.sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      // Each row shows its own payload: seq n carries n (no event doubled or shifted).
      const summaries = await page.$$eval(
        "[data-seq] .sum",
        (els) => els.map((e) => e.textContent),
      );
      assert.deepEqual(summaries, Array.from({ length: 12 }, (_, i) => `{"n":${i + 1}}`));
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
