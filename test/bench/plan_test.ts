/**
 * @module Unit test of the bench's flags: the memory readings' settle time.
 */
import assert from "node:assert/strict";
import { parsePlan } from "../../bench/_plan.ts";

Deno.test("bench plan: --settle-ms sets the pause before memory readings, 1 s by default", () => {
  assert.equal(parsePlan([], "out.json")?.settleMs, 1000);
  assert.equal(parsePlan(["--settle-ms", "30000"], "out.json")?.settleMs, 30_000);
});
