/**
 * @module A REST publish retried with its `Idempotency-Key` after the server was killed and
 * restarted (SQLite) gets the first answer and appends nothing.
 */
import assert from "node:assert/strict";
import { freePort, spawnServer } from "./_process.ts";

async function post(url: string, body: unknown, key: string) {
  const response = await fetch(`${url}/api/sessions/idem/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function head(url: string): Promise<number> {
  const response = await fetch(`${url}/api/sessions/idem`);
  return (await response.json()).session.headSeq;
}

Deno.test("Idempotency-Key survives kill -9 and a restart on SQLite", async () => {
  const dir = await Deno.makeTempDir();
  const port = freePort();
  const args = ["--store", `sqlite:${dir}/idem.db`, "--heartbeat-ms", "0"];
  const events = [{ event: "skill:started", payload: { skill_name: "lint" } }, {
    event: "custom:x",
  }];
  try {
    let server = await spawnServer(port, args);
    const first = await post(server.url, events, "retry-me");
    assert.equal(first.status, 201);
    assert.deepEqual(first.body.seqs, [1, 2]);
    await server.stop("SIGKILL");

    server = await spawnServer(port, args);
    try {
      const retry = await post(server.url, events, "retry-me");
      assert.equal(retry.status, first.status);
      assert.deepEqual(retry.body, first.body);
      assert.equal(await head(server.url), 2, "the retry appended nothing");
      const conflict = await post(server.url, [{ event: "custom:y" }], "retry-me");
      assert.equal(conflict.body.error.code, "IDEMPOTENCY_CONFLICT");
      const fresh = await post(server.url, events, "another");
      assert.deepEqual(fresh.body.seqs, [3, 4]);
    } finally {
      await server.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
