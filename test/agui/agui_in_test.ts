/**
 * @module AG-UI in: events an AG-UI agent emits are stored as they are (validated by
 * `@ag-ui/core`), come back out of the projection unchanged, drive the session's state and
 * usage totals, and bad ones are refused whole.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer } from "../_helpers.ts";
import { agentFor, readSse, run, runInput } from "./_agui.ts";

const RUN: Frame[] = [
  { type: "RUN_STARTED", threadId: "t-1", runId: "r-1" },
  { type: "STEP_STARTED", stepName: "plan" },
  { type: "TEXT_MESSAGE_START", messageId: "m-1", role: "assistant" },
  { type: "TEXT_MESSAGE_CONTENT", messageId: "m-1", delta: "Looking " },
  { type: "TEXT_MESSAGE_CONTENT", messageId: "m-1", delta: "it up", vendorField: { keep: true } },
  { type: "TEXT_MESSAGE_END", messageId: "m-1" },
  { type: "TOOL_CALL_START", toolCallId: "c-1", toolCallName: "lookup", parentMessageId: "m-1" },
  { type: "TOOL_CALL_ARGS", toolCallId: "c-1", delta: '{"id":7}' },
  { type: "TOOL_CALL_END", toolCallId: "c-1" },
  {
    type: "TOOL_CALL_RESULT",
    messageId: "tr-1",
    toolCallId: "c-1",
    content: "found",
    role: "tool",
  },
  { type: "STATE_SNAPSHOT", snapshot: { stage: "done" } },
  { type: "CUSTOM", name: "vendor.note", value: [1, 2] },
  { type: "STEP_FINISHED", stepName: "plan" },
  {
    type: "RUN_FINISHED",
    threadId: "t-1",
    runId: "r-1",
    result: { answer: 42 },
    usage: [{ provider: "acme", model: "acme-1", inputTokens: 120, outputTokens: 30 }],
  },
];

Deno.test("AG-UI in: events come back out of the projection unchanged", async () => {
  const server = await startTestServer();
  try {
    const s = "agui-in";
    const half = RUN.length / 2;
    const first = await api(server, "POST", `/api/sessions/${s}/ag-ui/events`, RUN.slice(0, half));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    for (const event of RUN.slice(half)) {
      assert.equal(
        (await api(server, "POST", `/api/sessions/${s}/ag-ui/events`, event)).status,
        201,
      );
    }
    const response = await fetch(`${server.url}/api/sessions/${s}/ag-ui`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(runInput(s)),
    });
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    assert.deepEqual((await readSse(response)).map((m) => m.data), RUN);

    const info = (await api(server, "GET", `/api/sessions/${s}`)).body.session;
    assert.equal(info.state, "completed");
    assert.equal(info.usage.total.inputTokens, 120);
    assert.equal(info.usage.byModel[0].model, "acme-1");

    const agent = agentFor(server, s);
    // The client drops the vendor's extra field (AG-UI's schemas keep it; the client's
    // enforcement does not), and says so: that warning only is expected.
    const { result } = await run(agent, {}, {}, /'\/vendorField'/);
    assert.deepEqual(result.result, { answer: 42 });
    assert.deepEqual(agent.state, { stage: "done" });
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI in: an invalid event is refused and nothing of its batch is stored", async () => {
  const server = await startTestServer();
  try {
    const s = "agui-bad";
    const cases: [unknown, string][] = [
      [[RUN[0], { type: "TEXT_MESSAGE_CONTENT", messageId: "m" }], "INVALID_PAYLOAD"],
      [{ type: "NOT_AN_AGUI_EVENT" }, "INVALID_PAYLOAD"],
      [{ type: "RUN_STARTED", threadId: 5, runId: "r" }, "INVALID_PAYLOAD"],
      ["not json", "BAD_JSON"],
      [[42], "INVALID_PAYLOAD"],
    ];
    for (const [body, code] of cases) {
      const answer = await api(server, "POST", `/api/sessions/${s}/ag-ui/events`, body);
      assert.equal(answer.body.error?.code, code, JSON.stringify(body));
    }
    const { body } = await api(server, "GET", `/api/sessions`);
    const session = body.sessions.find((x: Frame) => x.id === s);
    assert.equal(session?.headSeq ?? 0, 0, "nothing stored");
    const bad = await api(server, "POST", `/api/sessions/${s}/ag-ui`, { threadId: s });
    assert.equal(bad.body.error.code, "INVALID_PAYLOAD");
  } finally {
    await server.close();
  }
});
