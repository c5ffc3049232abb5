/**
 * @module `MemoryStore` against the store contract, plus what only it does.
 */
import assert from "node:assert/strict";
import { MemoryStore } from "../../src/store/memory.ts";
import { events, record, storeContract } from "./_contract.ts";

storeContract("MemoryStore", (options) => {
  const store = new MemoryStore(options);
  return Promise.resolve({ store, close: () => store.close() });
});

Deno.test("MemoryStore: a large limit never serves more than the limit", async () => {
  // Trimming is amortised: one event over the limit may stay in memory, but reads hide it.
  const store = new MemoryStore({ maxEventsPerSession: 100 });
  await store.createSession(record("a"));
  for (let i = 0; i < 101; i++) await store.append("a", events(1, i));
  const kept = await store.read("a", 0, 1000);
  assert.equal(kept.length, 100);
  assert.equal(kept[0].seq, 2);
  assert.equal(kept.at(-1)!.seq, 101);
  assert.equal(await store.trim(), 1);
});

Deno.test("MemoryStore: a limit below 1 is a programmer error", () => {
  assert.throws(() => new MemoryStore({ maxEventsPerSession: 0 }), RangeError);
});
