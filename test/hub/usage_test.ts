/**
 * @module Token usage: `agent:usage` events add up per model in the session's execution state,
 * `GET /api/sessions/:id` shows the totals, and a restart on SQLite keeps them.
 */
import assert from "node:assert/strict";
import { api, startTestServer } from "../_helpers.ts";

Deno.test("agent:usage totals per model show in GET /api/sessions/:id and survive a restart", async () => {
  const dir = await Deno.makeTempDir();
  const store = `sqlite:${dir}/usage.db`;
  let server = await startTestServer({ store });
  try {
    const publish = (payload: Record<string, unknown>) =>
      api(server, "POST", "/api/sessions/u1/events", { event: "agent:usage", payload });
    assert.equal(
      (await publish({ model: "claude-sonnet-4-5", inputTokens: 100, outputTokens: 20 })).status,
      201,
    );
    await publish({
      model: "claude-sonnet-4-5",
      inputTokens: 50,
      outputTokens: 5,
      cachedInputTokens: 40,
      reasoningTokens: 2,
    });
    await publish({ model: "gpt-5", inputTokens: 7, outputTokens: 3, provider: "openai" });
    const bad = await publish({ model: "gpt-5", inputTokens: -1, outputTokens: 3 });
    assert.equal(bad.body.error.code, "INVALID_PAYLOAD");

    const expected = {
      byModel: [
        {
          model: "claude-sonnet-4-5",
          inputTokens: 150,
          outputTokens: 25,
          cachedInputTokens: 40,
          cacheWriteInputTokens: 0,
          reasoningTokens: 2,
          calls: 2,
        },
        {
          model: "gpt-5",
          inputTokens: 7,
          outputTokens: 3,
          cachedInputTokens: 0,
          cacheWriteInputTokens: 0,
          reasoningTokens: 0,
          calls: 1,
        },
      ],
      total: {
        inputTokens: 157,
        outputTokens: 28,
        cachedInputTokens: 40,
        cacheWriteInputTokens: 0,
        reasoningTokens: 2,
        calls: 3,
      },
    };
    assert.deepEqual((await api(server, "GET", "/api/sessions/u1")).body.session.usage, expected);
    await server.close();
    server = await startTestServer({ store });
    assert.deepEqual((await api(server, "GET", "/api/sessions/u1")).body.session.usage, expected);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
