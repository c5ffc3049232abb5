/**
 * @module The dashboard in headless Chromium against a real server: the session list updates
 * live, REST-published events appear in order, the filter hides and shows them, HALT and
 * RESUME change the state and the buttons, a decision answered in one page closes in another,
 * a payload opens, and the back button returns to the overview.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { api, startTestServer, waitFor } from "../_helpers.ts";
import { BROWSER_TEST, launch } from "./_browser.ts";

/** Sequence numbers of the rows rendered now, top to bottom. */
function renderedSeqs(page: Page): Promise<number[]> {
  return page.$$eval(
    "[data-seq]",
    (rows) => rows.map((r) => Number(r.getAttribute("data-seq"))).sort((a, b) => a - b),
  );
}

/** Waits until `selector`'s text contains `text`. */
async function waitText(page: Page, selector: string, text: string, timeout = 5000) {
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout });
}

/** Waits until the button with test id `id` is (or is not) disabled. */
function waitDisabled(page: Page, id: string, disabled: boolean): Promise<boolean> {
  const button = page.getByTestId(id);
  return waitFor(
    async () => (await button.isDisabled()) === disabled || undefined,
    `${id} ${disabled ? "disabled" : "enabled"}`,
  );
}

Deno.test(
  { name: "dashboard: list, stream, filter, steering, decisions", ...BROWSER_TEST },
  async (t) => {
    const server = await startTestServer();
    const browser = await launch();
    try {
      const page = await browser.open(`${server.url}/`);
      await page.waitForSelector('[data-testid="sessions"]');

      await t.step("a new session appears in the list without a reload", async () => {
        assert.equal(await page.locator('[data-session="run-a"]').count(), 0);
        await api(server, "POST", "/api/sessions", { sessionId: "run-a" });
        await page.waitForSelector('[data-session="run-a"]', { timeout: 5000 });
        await waitText(page, '[role="note"]', "Development mode");
      });

      await t.step("events published over REST appear in order", async () => {
        await page.click('[data-session="run-a"]');
        assert.equal(new URL(page.url()).pathname, "/sessions/run-a");
        await page.waitForSelector('[data-testid="rows"]');
        const events = Array.from({ length: 30 }, (_, i) => ({
          event: i % 3 === 0 ? "skill:started" : "custom:step",
          payload: i % 3 === 0 ? { skill: `s${i}` } : { i },
        }));
        const { status } = await api(server, "POST", "/api/sessions/run-a/events", events);
        assert.equal(status, 201);
        await waitText(page, '[data-testid="stream-count"]', "30 events");
        const seqs = await renderedSeqs(page);
        assert.ok(seqs.length >= 10, `rendered ${seqs.length}`);
        // Following the newest: the last event is rendered, and the rendered run has no hole.
        assert.equal(seqs.at(-1), 30);
        assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i));
        assert.match(await page.locator('[data-seq="30"]').textContent() ?? "", /custom:step/);
      });

      await t.step("the type filter hides and shows events", async () => {
        const types = page.getByLabel("Filter by event type");
        await types.fill("skill:*");
        await waitText(page, '[data-testid="stream-count"]', "10 of 30 events");
        const names = await page.$$eval("[data-seq] .ev", (els) => els.map((e) => e.textContent));
        assert.ok(names.length === 10 && names.every((n) => n === "skill:started"), String(names));
        await types.fill("");
        await page.getByLabel("Filter by text").fill('"i":7}');
        await waitText(page, '[data-testid="stream-count"]', "1 of 30 events");
        await page.getByLabel("Filter by text").fill("");
        await waitText(page, '[data-testid="stream-count"]', "30 events");
      });

      await t.step("a click opens the payload", async () => {
        await page.click('[data-seq="30"]');
        await waitText(page, '[data-testid="payload"]', '"i": 29');
      });

      await t.step("HALT shows halted and the buttons change; RESUME undoes it", async () => {
        const halt = page.getByTestId("halt");
        const resume = page.getByTestId("resume");
        assert.equal(await halt.isDisabled(), true, "HALT needs a running session");
        await api(server, "POST", "/api/sessions/run-a/events", { event: "execution:started" });
        await waitText(page, '[data-testid="state"]', "running");
        await waitDisabled(page, "halt", false);
        assert.equal(await resume.isDisabled(), true);
        await halt.click();
        await waitText(page, '[data-testid="state"]', "halted");
        await waitText(page, '[data-testid="outcomes"]', "accepted → halted");
        await waitDisabled(page, "halt", true);
        assert.equal(await resume.isDisabled(), false);
        const session = await api(server, "GET", "/api/sessions/run-a");
        assert.equal(session.body.session.state, "halted");
        await resume.click();
        await waitText(page, '[data-testid="state"]', "running");
        await waitText(
          page,
          '[data-testid="stream-count"]',
          "execution:resumed".length ? "35 events" : "",
        );
      });

      await t.step(
        "REDIRECT shows its outcome, then the orchestrator's command:applied",
        async () => {
          await page.getByRole("button", { name: "↪ Redirect" }).click();
          await page.getByLabel("Instruction").fill("Focus on the tests");
          await page.getByRole("button", { name: "Send REDIRECT" }).click();
          await waitText(page, '[data-testid="outcomes"]', "awaiting orchestrator");
          const { body } = await api(server, "GET", "/api/sessions/run-a");
          const pending = body.session.pendingCommands.find((c: { type: string }) =>
            c.type === "REDIRECT"
          );
          await api(server, "POST", "/api/sessions/run-a/events", {
            event: "command:applied",
            payload: { commandId: pending.commandId, ok: true, message: "Redirected" },
          });
          await waitText(page, '[data-testid="outcomes"]', "applied: Redirected");
        },
      );

      await t.step("pause holds the view; follow catches up", async () => {
        const rows = page.getByTestId("rows");
        const scrollTop = () =>
          rows.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
        await page.getByRole("button", { name: "Pause following" }).click();
        const held = await scrollTop();
        await api(server, "POST", "/api/sessions/run-a/events", [
          { event: "custom:late", payload: { n: 1 } },
          { event: "custom:late", payload: { n: 2 } },
        ]);
        await waitText(page, "button", "2 new");
        assert.equal(await scrollTop(), held);
        await page.getByRole("button", { name: "Resume following" }).click();
        await waitFor(async () => (await scrollTop()) > held || undefined, "the view to follow");
      });

      await t.step("timeline bars, presence and hub health", async () => {
        await api(server, "POST", "/api/sessions/run-a/events", [
          { event: "skill:completed", payload: { skill: "s0" } },
          { event: "skill:failed", payload: { skill: "s3", error: "boom" } },
        ]);
        await page.locator(".tl-bar.skill.failed").first().waitFor();
        assert.ok(await page.locator(".tl-bar.skill.done").count() >= 1);
        assert.ok(await page.locator(".tl-bar.skill.running").count() >= 1, "s6 to s27 still run");
        await waitText(page, '[data-testid="presence"]', "this page");
        await waitText(page, '[data-testid="health"]', "Sessions1");
      });

      await t.step("tool calls paired by toolUseId as bars; token usage per model", async () => {
        await api(server, "POST", "/api/sessions/run-a/events", [
          { event: "agent:tool_call", payload: { tool: "Bash", toolUseId: "tu-1" } },
          { event: "agent:tool_call", payload: { tool: "Read", toolUseId: "tu-2" } },
          { event: "agent:result", payload: { tool: "Bash", toolUseId: "tu-1", result: "ok" } },
          {
            event: "agent:usage",
            payload: { model: "claude-x", inputTokens: 1200, outputTokens: 34 },
          },
        ]);
        await page.locator(".tl-bar.tool.done").first().waitFor();
        assert.ok(await page.locator(".tl-bar.tool.running").count() >= 1, "tu-2 still runs");
        await waitText(page, '[data-testid="usage"]', "claude-x");
        await waitText(page, '[data-testid="usage"]', "1,200");
      });

      await t.step("a decision answered in one page closes in a second one", async () => {
        const second = await browser.open(`${server.url}/sessions/run-a`);
        await second.waitForSelector('[data-testid="rows"]');
        await api(server, "POST", "/api/sessions/run-a/events", {
          event: "decision:point",
          payload: { decisionId: "d1", question: "Ship the fix?", options: ["ship", "wait"] },
        });
        for (const p of [page, second]) {
          await waitText(p, '[data-testid="inbox"]', "Ship the fix?");
          await waitText(p, '[data-testid="state"]', "waiting");
        }
        await page.locator('[data-decision="d1"]').getByRole("button", { name: "ship" }).click();
        for (const p of [page, second]) {
          await p.waitForSelector('[data-testid="inbox-empty"]', { timeout: 5000 });
          await p.getByLabel("Filter by event type").fill("decision:made");
          await waitText(p, '[data-testid="rows"]', "d1 → ship");
        }
        const session = await api(server, "GET", "/api/sessions/run-a");
        assert.deepEqual(session.body.session.openDecisions, []);
      });

      await t.step(
        "a session's URL works before the session exists, without creating it",
        async () => {
          const early = await browser.open(`${server.url}/sessions/later`);
          await early.getByText('No session "later" yet').waitFor();
          assert.equal((await api(server, "GET", "/api/sessions/later")).status, 404);
          await api(server, "POST", "/api/sessions/later/events", { event: "custom:hello" });
          await early.getByTestId("stream-count").filter({ hasText: "1 event" }).waitFor();
        },
      );

      await t.step("phone width, dark scheme, every control named and reachable", async () => {
        const phone = await browser.open(`${server.url}/sessions/run-a`, {
          width: 390,
          height: 844,
          dark: true,
        });
        await phone.getByTestId("rows").waitFor();
        assert.equal(await phone.locator("nav.sessions").isVisible(), false, "list hidden");
        const box = await phone.getByTestId("rows").boundingBox();
        assert.ok(box && box.width <= 390 && box.height > 200, JSON.stringify(box));
        const background = await phone.evaluate("getComputedStyle(document.body).backgroundColor");
        assert.equal(background, "rgb(13, 17, 23)");
        const unnamed = await phone.evaluate(`[...document.querySelectorAll(
        "button, a[href], input, select, textarea")].filter((el) =>
          !(el.getAttribute("aria-label") || el.textContent.trim() || el.placeholder ||
            (el.id && document.querySelector('label[for="' + el.id + '"]')))
        ).map((el) => el.outerHTML.slice(0, 80))`);
        assert.deepEqual(unnamed, []);
        // The keyboard reaches the steering buttons.
        const reached = new Set<string>();
        for (let i = 0; i < 12; i++) {
          await phone.keyboard.press("Tab");
          reached.add(String(await phone.evaluate("document.activeElement.textContent.trim()")));
        }
        assert.ok([...reached].some((text) => text.includes("Halt")), [...reached].join(" | "));
        await phone.getByRole("link", { name: "Back to the overview" }).click();
        await phone.locator("nav.sessions").waitFor();
      });

      await t.step("the back button returns to the overview", async () => {
        await page.goBack();
        await waitFor(() => new URL(page.url()).pathname === "/" || undefined, "the overview URL");
        await page.waitForSelector(".overview");
        await page.goForward();
        await page.waitForSelector('[data-testid="rows"]');
      });

      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
