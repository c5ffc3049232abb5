/**
 * @module `GET /api/sessions/:id/stream`: records carry `id: <seq>`, the event name and the
 * envelope; resume by `Last-Event-ID` or `?lastSeq=`; filters; `reset` when history no longer
 * reaches back; orchestrators get commands; errors are coded.
 */
import assert from "node:assert/strict";
import { api, startTestServer } from "../_helpers.ts";
import { SseReader } from "./_reader.ts";

Deno.test("SSE stream of a session", async (t) => {
  const server = await startTestServer();
  const url = (path: string) => `${server.url}/api/sessions/${path}`;
  try {
    await api(server, "POST", "/api/sessions/s/events", [
      { event: "execution:started" },
      { event: "skill:started", payload: { skill_name: "lint" } },
      { event: "custom:note", payload: { text: "a\nb" } },
    ]);

    await t.step("replay then live, one record per event, retry set", async () => {
      const reader = await SseReader.open(url("s/stream"));
      try {
        assert.equal(reader.response.status, 200);
        assert.match(reader.response.headers.get("content-type")!, /^text\/event-stream/);
        await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
        assert.deepEqual(reader.retries, [1000]);
        assert.deepEqual(reader.events.map((e) => [e.seq, e.event]), [
          [1, "execution:started"],
          [2, "skill:started"],
          [3, "custom:note"],
        ]);
        const started = reader.events[1].frame;
        assert.deepEqual(started.payload, { skill_name: "lint", skill: "lint" });
        assert.equal(started.session, "s");
        assert.equal(started.seq, 2);
        const subscribed = JSON.parse(reader.records.find((r) => r.event === "subscribed")!.data);
        assert.equal(subscribed.headSeq, 3);
        assert.equal(subscribed.recovered, true);
        await api(server, "POST", "/api/sessions/s/events", { event: "custom:live" });
        await reader.until((r) => r.some((x) => x.id === "4"), "the live event");
        assert.equal(reader.events[3].event, "custom:live");
      } finally {
        await reader.close();
      }
    });

    await t.step("Last-Event-ID resumes after that seq; it wins over ?lastSeq=", async () => {
      const reader = await SseReader.open(url("s/stream?lastSeq=0"), { "Last-Event-ID": "2" });
      try {
        await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
        assert.deepEqual(reader.events.map((e) => e.seq), [3, 4]);
      } finally {
        await reader.close();
      }
      const byQuery = await SseReader.open(url("s/stream?lastSeq=3"));
      try {
        await byQuery.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
        assert.deepEqual(byQuery.events.map((e) => e.seq), [4]);
      } finally {
        await byQuery.close();
      }
    });

    await t.step("?events= filters as on the WebSocket", async () => {
      const reader = await SseReader.open(url("s/stream?events=skill:*,custom:live"));
      try {
        await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
        assert.deepEqual(reader.events.map((e) => e.event), ["skill:started", "custom:live"]);
      } finally {
        await reader.close();
      }
    });

    await t.step(
      "a stale epoch or a seq past the head: reset (recovered:false) first",
      async () => {
        const epoch = (await api(server, "GET", "/api/sessions/s")).body.session.epoch;
        for (const query of ["lastSeq=2&epoch=old", "lastSeq=99"]) {
          const reader = await SseReader.open(url(`s/stream?${query}`));
          try {
            await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
            assert.equal(reader.records[0].event, "reset", query);
            assert.deepEqual(JSON.parse(reader.records[0].data), {
              recovered: false,
              epoch,
              headSeq: 4,
            });
            assert.deepEqual(reader.events.map((e) => e.seq), [1, 2, 3, 4], query);
          } finally {
            await reader.close();
          }
        }
      },
    );

    await t.step("an orchestrator's stream carries commands whatever its filter", async () => {
      const reader = await SseReader.open(url("s/stream?role=orchestrator&events=custom:none"));
      try {
        await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
        const halt = await api(server, "POST", "/api/sessions/s/commands", { type: "HALT" });
        assert.equal(halt.status, 200);
        await reader.until((r) => r.some((x) => x.event === "command"), "the command");
        assert.equal(reader.events.at(-1)!.frame.payload.type, "HALT");
        assert.ok(!reader.events.some((e) => e.event === "execution:halted"));
      } finally {
        await reader.close();
      }
    });

    await t.step("deleting the session ends the stream", async () => {
      const reader = await SseReader.open(url("gone/stream"));
      await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
      await api(server, "DELETE", "/api/sessions/gone");
      await reader.closed();
      assert.ok(reader.records.some((r) => r.event === "session:deleted"));
    });

    await t.step("bad input is a coded error, before any stream", async () => {
      for (const path of ["s/stream?lastSeq=-1", "s/stream?events=a*b", "s/stream?role=boss"]) {
        const response = await fetch(url(path));
        const body = await response.json();
        assert.equal(response.status, 422, path);
        assert.equal(body.error.code, "INVALID_PAYLOAD", path);
      }
      const badId = await fetch(url("s/stream"), { headers: { "Last-Event-ID": "x" } });
      assert.equal((await badId.json()).error.code, "INVALID_PAYLOAD");
    });

    await t.step("closed streams leave no connection behind", async () => {
      const deadline = Date.now() + 5000;
      while (server.hub.connectionCount > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(server.hub.connectionCount, 0);
    });
  } finally {
    await server.close();
  }
});

Deno.test("an SSE reader outlives heartbeats it cannot answer; pings are not sent to it", async () => {
  const server = await startTestServer({ heartbeatMs: 50 });
  const reader = await SseReader.open(`${server.url}/api/sessions/hb/stream`);
  try {
    await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(server.hub.connectionCount, 1);
    assert.ok(!reader.records.some((r) => r.event === "ping" || r.event === "close"));
  } finally {
    await reader.close();
    await server.close();
  }
});

Deno.test("streams per address are capped by maxConnectionsPerIp: LIMIT_EXCEEDED", async () => {
  // Loopback is exempt from the cap: the readers come through a trusted "proxy" that names them.
  const server = await startTestServer({ maxConnectionsPerIp: 2, trustProxy: ["127.0.0.1"] });
  const url = `${server.url}/api/sessions/cap/stream`;
  const client = { "X-Forwarded-For": "203.0.113.9" };
  const readers = [await SseReader.open(url, client), await SseReader.open(url, client)];
  try {
    const third = await fetch(url, { headers: client });
    assert.equal(third.status, 429);
    assert.equal((await third.json()).error.code, "LIMIT_EXCEEDED");
    await readers.pop()!.close();
    await new Promise((r) => setTimeout(r, 100));
    readers.push(await SseReader.open(url, client));
    assert.equal(readers[1].response.status, 200, "a closed stream frees its place");
  } finally {
    for (const reader of readers) await reader.close();
    await server.close();
  }
});

Deno.test("a resume from before trimmed history gets reset (recovered:false), then what is kept", async () => {
  const server = await startTestServer({ historyLimit: 3 });
  try {
    const events = Array.from({ length: 6 }, (_, i) => ({ event: "custom:n", payload: { i } }));
    await api(server, "POST", "/api/sessions/trim/events", events);
    await server.hub.trimHistory();
    const reader = await SseReader.open(`${server.url}/api/sessions/trim/stream`, {
      "Last-Event-ID": "1",
    });
    try {
      await reader.until((r) => r.some((x) => x.event === "subscribed"), "subscribed");
      assert.equal(reader.records[0].event, "reset");
      assert.equal(JSON.parse(reader.records[0].data).recovered, false);
      assert.deepEqual(reader.events.map((e) => e.seq), [4, 5, 6]);
      const subscribed = reader.records.find((r) => r.event === "subscribed")!;
      assert.equal(JSON.parse(subscribed.data).recovered, false);
    } finally {
      await reader.close();
    }
  } finally {
    await server.close();
  }
});
