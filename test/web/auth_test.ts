/**
 * @module The dashboard with authentication on: it asks for a token, refuses a wrong one, keeps
 * a good one in sessionStorage (never in a URL: the WebSocket sends it in its first frame),
 * shows only the sessions the token grants, and hides the steering a token cannot use.
 */
import assert from "node:assert/strict";
import { api } from "../_helpers.ts";
import { mint, SECRET, startSecureServer } from "../security/_tokens.ts";
import { BROWSER_TEST, launch } from "./_browser.ts";

Deno.test(
  { name: "dashboard: asks for a token and refuses a wrong one", ...BROWSER_TEST },
  async (t) => {
    const server = await startSecureServer();
    const browser = await launch();
    try {
      const admin = { authorization: `Bearer ${await mint({ role: "admin" })}` };
      for (const id of ["team:a", "other"]) {
        await api(
          server,
          "POST",
          `/api/sessions/${id}/events`,
          { event: "execution:started" },
          admin,
        );
      }
      const page = await browser.open(`${server.url}/`);
      const sockets: string[] = [];
      page.on("websocket", (ws) => sockets.push(ws.url()));

      await t.step("a token is asked for; wrong ones are refused", async () => {
        await page.getByLabel("Token").waitFor();
        assert.equal(await page.locator('[role="note"]').count(), 0, "no development-mode banner");
        await page.getByLabel("Token").fill("not-a-token");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByTestId("token-error").filter({ hasText: "Token refused" }).waitFor();
        const forged = await mint({ role: "admin", secret: `${SECRET}-but-another-one` });
        await page.getByLabel("Token").fill(forged);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByTestId("token-error").filter({ hasText: "UNAUTHORIZED" }).waitFor();
        assert.equal(await page.evaluate("sessionStorage.length"), 0);
      });

      const token = await mint({ role: "dashboard", sessions: ["team:*"] });
      await t.step("a good token shows what it grants, live", async () => {
        await page.getByLabel("Token").fill(token);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.locator('[data-session="team:a"]').waitFor();
        await page.getByTestId("link-state").filter({ hasText: "Live" }).waitFor();
        assert.equal(await page.locator('[data-session="other"]').count(), 0);
        assert.equal(await page.evaluate("sessionStorage.getItem('switchboard.token')"), token);
        await page.click('[data-session="team:a"]');
        await page.getByTestId("state").filter({ hasText: "running" }).waitFor();
        await page.getByTestId("halt").click();
        await page.getByTestId("state").filter({ hasText: "halted" }).waitFor();
      });

      await t.step("the token is never in a URL", () => {
        assert.ok(sockets.length > 0);
        for (const url of [...sockets, page.url()]) assert.ok(!url.includes(token), url);
        assert.ok(sockets.every((url) => !/token=/.test(url)), sockets.join());
      });

      await t.step("a token that may not send commands gets no steering", async () => {
        const other = await browser.open(`${server.url}/sessions/team%3Aa`);
        await other.getByLabel("Token").fill(
          await mint({ role: "orchestrator", sessions: ["team:*"] }),
        );
        await other.getByRole("button", { name: "Sign in" }).click();
        await other.getByText("Your token cannot send commands").waitFor();
        assert.equal(await other.getByTestId("halt").count(), 0);
      });
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
