/**
 * @module A failing store shows: `/health` says `degraded` with the reason (and recovers), the
 * failure is logged, the `store_failing` gauge is 1, and appends are timed.
 */
import assert from "node:assert/strict";
import { MemoryStore, type NewEvent, type StoredEvent } from "../../src/mod.ts";
import { configureLog } from "../../src/observe/log.ts";
import { api, startTestServer } from "../_helpers.ts";

/** A memory store whose appends fail while `failing` is set, as a full disk would. */
class FlakyStore extends MemoryStore {
  failing = false;
  override append(session: string, events: readonly NewEvent[]): Promise<StoredEvent[]> {
    if (this.failing) return Promise.reject(new Error("database or disk is full"));
    return super.append(session, events);
  }
}

Deno.test("/health reports degraded with the reason while the store fails", async () => {
  const store = new FlakyStore();
  const lines: string[] = [];
  configureLog({ write: (line) => lines.push(line) });
  const server = await startTestServer({ logFormat: "json" }, { store });
  try {
    const publish = () =>
      api(server, "POST", "/api/sessions/s/events", { event: "custom:x", payload: {} });
    assert.equal((await publish()).status, 201);
    assert.equal((await api(server, "GET", "/health")).body.status, "healthy");

    store.failing = true;
    const failed = await publish();
    assert.deepEqual([failed.status, failed.body.error.code], [503, "STORE_FAILED"]);
    const degraded = (await api(server, "GET", "/health")).body;
    assert.equal(degraded.status, "degraded");
    assert.equal(degraded.reason, "store failing: append: database or disk is full");
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^switchboard_store_failing 1$/m);
    const logged = lines.map((l) => JSON.parse(l)).find((r) => r.msg === "store error");
    assert.deepEqual(
      [logged.level, logged.operation, logged.session, logged.error],
      ["error", "append", "s", "database or disk is full"],
    );

    store.failing = false;
    assert.equal((await publish()).status, 201);
    assert.equal((await api(server, "GET", "/health")).body.status, "healthy");
    assert.match(
      await (await fetch(`${server.url}/metrics`)).text(),
      /^switchboard_store_append_duration_seconds_count 2$/m,
    );
  } finally {
    await server.close();
    await store.close();
    configureLog({ write: (line) => console.log(line) });
  }
});
