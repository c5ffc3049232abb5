/**
 * @module ActivityMeter: last event time and events per second over whole windows.
 */
import assert from "node:assert/strict";
import { ActivityMeter } from "../../src/hub/activity.ts";

Deno.test("ActivityMeter reports nothing for a session without appends", () => {
  assert.deepEqual(new ActivityMeter().of("s", 1_000), { lastEventAt: null, eventsPerSecond: 0 });
});

Deno.test("ActivityMeter.of() gives the last complete window's rate and the last append", () => {
  const meter = new ActivityMeter(2_000);
  meter.record("s", 10, 0);
  meter.record("s", 30, 1_500);
  // The first window is still open: no complete window yet.
  assert.deepEqual(meter.of("s", 1_900), { lastEventAt: 1_500, eventsPerSecond: 0 });
  // 40 events in the window [0, 2000): 20 per second.
  assert.deepEqual(meter.of("s", 2_100), { lastEventAt: 1_500, eventsPerSecond: 20 });
  meter.record("s", 4, 3_000);
  assert.equal(meter.of("s", 4_500).eventsPerSecond, 2);
  // A silent window in between: the rate falls to zero.
  assert.equal(meter.of("s", 9_000).eventsPerSecond, 0);
  assert.equal(meter.of("s", 9_000).lastEventAt, 3_000);
});

Deno.test("ActivityMeter keeps sessions apart and forgets deleted ones", () => {
  const meter = new ActivityMeter(1_000);
  meter.record("a", 5, 0);
  meter.record("b", 1, 0);
  assert.equal(meter.of("a", 1_000).eventsPerSecond, 5);
  assert.equal(meter.of("b", 1_000).eventsPerSecond, 1);
  meter.forget("a");
  assert.equal(meter.of("a", 1_000).lastEventAt, null);
});
