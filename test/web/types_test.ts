/**
 * @module Type-level test: the page's copies of the REST shapes it reads (web/types.ts) match the
 * server's, so a change to a description fails to compile here instead of showing blanks.
 */
import assert from "node:assert/strict";
import type { UsageTotals as ServerUsage } from "../../src/hub/execution.ts";
import type { SessionInfo as ServerInfo } from "../../src/hub/describe.ts";
import type { SessionInfo as PageInfo, UsageTotals as PageUsage } from "../../web/types.ts";

/** `true` when `A` and `B` are assignable to each other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compiles only for `true`. */
function holds<T extends true>(): void {}

Deno.test("web/types.ts agrees with the server's session description", () => {
  holds<Same<PageUsage, ServerUsage>>();
  holds<Same<NonNullable<PageInfo["usage"]>, ServerInfo["usage"]>>();
  holds<
    Same<
      PageInfo["openDecisions"][number]["options"],
      ServerInfo["openDecisions"][number]["options"]
    >
  >();
  assert.ok(true, "compiled");
});
