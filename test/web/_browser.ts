/**
 * @module Helpers for the dashboard's browser tests: one headless Chromium per test file
 * (Debian's, never a downloaded one), pages that fail the test on a page error, and waits.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM } from "../client/_helpers.ts";
import { buildWeb } from "./_build.ts";

export { BROWSER_TEST } from "../client/_helpers.ts";

/** A browser and the pages opened in it, closed together. */
export interface Dashboards {
  browser: Browser;
  /** Opens `url` in a fresh context (its own sessionStorage) at `width`×`height`. */
  open(url: string, options?: { width?: number; height?: number; dark?: boolean }): Promise<Page>;
  /** Errors the pages threw; a test asserts there were none. */
  errors: string[];
  close(): Promise<void>;
}

/** Builds the bundle and launches Chromium. */
export async function launch(): Promise<Dashboards> {
  await buildWeb();
  const browser = await chromium.launch(CHROMIUM);
  const errors: string[] = [];
  return {
    browser,
    errors,
    async open(url, options = {}) {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1400, height: options.height ?? 860 },
        colorScheme: options.dark ? "dark" : "light",
      });
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(url);
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}
