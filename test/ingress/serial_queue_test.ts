/**
 * @module Unit tests of SerialQueue: steps start in the order given, each after the previous one
 * finished, a failing step does not stop the rest, and a step that finishes at once costs no wait.
 */
import assert from "node:assert/strict";
import { SerialQueue } from "../../src/ingress/serial_queue.ts";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("SerialQueue runs each step after the previous one finished, in order", async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  queue.run(async () => {
    log.push("slow:start");
    await tick(20);
    log.push("slow:end");
  });
  queue.run(() => void log.push("fast"));
  queue.run(async () => {
    await tick(1);
    log.push("last");
  });
  assert.equal(queue.length, 3);
  await tick(60);
  assert.deepEqual(log, ["slow:start", "slow:end", "fast", "last"]);
  assert.equal(queue.length, 0);
});

Deno.test("SerialQueue: a failing step does not stop later ones", async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  queue.run(() => Promise.reject(new Error("boom")));
  queue.run(() => {
    throw new Error("sync boom");
  });
  queue.run(() => void log.push("still runs"));
  await tick(5);
  assert.deepEqual(log, ["still runs"]);
});

Deno.test("SerialQueue starts a step at once when nothing is ahead of it", () => {
  const queue = new SerialQueue();
  let ran = false;
  queue.run(() => void (ran = true));
  assert.equal(ran, true, "synchronously");
  assert.equal(queue.length, 0);
});

Deno.test("SerialQueue: once a waiting chain has drained, the next step starts at once again", async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  queue.run(async () => {
    await tick(5);
    log.push("slow");
  });
  queue.run(() => void log.push("queued"));
  assert.equal(queue.length, 2);
  await tick(30);
  assert.equal(queue.length, 0);
  queue.run(() => void log.push("now"));
  assert.deepEqual(log, ["slow", "queued", "now"], "ran synchronously, behind nothing");
  queue.run(async () => {
    await tick(1);
    log.push("async again");
  });
  queue.run(() => void log.push("after it"));
  await tick(20);
  assert.deepEqual(log.slice(3), ["async again", "after it"]);
});
