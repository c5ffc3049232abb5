/**
 * @module Structured logs: a connection's life (opened, a command, a refused command, closed) as
 * JSON lines with ids and codes, and never a token or a payload.
 */
import assert from "node:assert/strict";
import { configureLog, Logger } from "../../src/observe/log.ts";
import { startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import { mint, SECRET } from "../security/_tokens.ts";

/** Collects the process log's lines while `run` runs. */
async function capture(run: (lines: string[]) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  configureLog({ write: (line) => lines.push(line) });
  try {
    await run(lines);
  } finally {
    configureLog({ write: (line) => console.log(line), level: "error" });
  }
  return lines;
}

Deno.test("a connection's life is logged as JSON lines, without tokens or payloads", async () => {
  const secretPayload = "do-not-log-this-payload";
  let token = "";
  const lines = await capture(async (lines) => {
    const server = await startTestServer({
      jwtSecret: SECRET,
      logLevel: "debug",
      logFormat: "json",
    });
    try {
      token = await mint({ role: "admin", sub: "alice" });
      const ws = await TestSocket.openRaw(server, `?session=s1&token=${token}`);
      await ws.next((f) => f.event === "subscribed");
      await ws.request({
        event: "execution:started",
        session: "s1",
        payload: { task: secretPayload },
      });
      const halt = await ws.request({
        event: "command",
        session: "s1",
        payload: { type: "HALT", reason: secretPayload },
      });
      assert.equal(halt.ok, true);
      const refused = await ws.request({
        event: "command",
        session: "s1",
        payload: { type: "HALT" },
      });
      assert.equal(refused.error.code, "INVALID_STATE");
      await ws.close();
      await waitFor(
        () => lines.some((l) => l.includes('"connection closed"')) || undefined,
        "the close line",
      );
    } finally {
      await server.close();
    }
  });
  const records = lines.map((line) => JSON.parse(line));
  for (const record of records) {
    assert.equal(typeof record.time, "string");
    assert.ok(["debug", "info", "warn", "error"].includes(record.level));
  }
  const find = (msg: string) => records.find((r) => r.msg === msg);
  const config = find("configuration");
  assert.equal(config.auth, "jwt-secret");
  assert.equal(config.jwtSecret, undefined);
  const opened = find("connection opened");
  assert.deepEqual(
    [opened.level, opened.role, opened.transport, opened.sub],
    ["info", "admin", "websocket", "alice"],
  );
  const command = find("command");
  assert.deepEqual(
    [command.session, command.type, command.result, command.actor, typeof command.seq],
    ["s1", "HALT", "ok", opened.id, "number"],
  );
  const refused = find("command refused");
  assert.deepEqual([refused.level, refused.result], ["warn", "INVALID_STATE"]);
  const closed = find("connection closed");
  assert.equal(closed.id, opened.id);
  assert.equal(closed.role, "admin");
  assert.equal(closed.ip, "127.0.0.1");
  assert.deepEqual(closed.sessions, ["s1"]);
  assert.equal(closed.by, "client");
  assert.equal(typeof closed.code, "number");
  assert.ok(closed.durationMs >= 0);
  const text = lines.join("\n");
  assert.ok(!text.includes(SECRET), "the secret is never logged");
  assert.ok(!text.includes(token), "the token is never logged");
  assert.ok(!text.includes(secretPayload), "payloads are never logged");
});

Deno.test("Logger: level filter and the pretty format", () => {
  const lines: string[] = [];
  const logger = new Logger();
  logger.configure({
    level: "warn",
    format: "pretty",
    write: (l) => lines.push(l),
    clock: () => 0,
  });
  logger.info("hidden");
  logger.warn("slow consumer", { id: "c1", code: 4101, note: "two words" });
  assert.deepEqual(lines, ['00:00:00.000 WARN  slow consumer id=c1 code=4101 note="two words"']);
});
