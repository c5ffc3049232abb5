/**
 * @module Floods against small configured limits: the per-address connection cap refuses the
 * next upgrade with 429 and frees a slot on close; frames beyond `frameRate` are refused with
 * RATE_LIMITED, and persistent abuse closes with 4102; commands are held to their own stricter
 * bucket. A well-behaved dashboard on the same session keeps a gap-free stream throughout.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame, startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import {
  assertHealthy,
  assertSeqRun,
  assertWellFormedAnswer,
  connectionTotal,
  RawSocket,
} from "./_abuse.ts";

const SESSION = "flood";
const CONFIG = {
  /** Bursts are twice the rate: 40 frames pass at once, then 20 a second. */
  frameRate: 20,
  /** 4 commands pass at once, then 2 a second. */
  commandRate: 2,
  abuseLimit: 50,
  maxConnectionsPerIp: 5,
  // Loopback is exempt from the per-address cap: the clients here come through a "proxy" on
  // loopback that names them, so the cap applies to the address it gives.
  trustProxy: ["127.0.0.1"],
};
const QUERY = `?session=${SESSION}&role=dashboard`;
const CLIENT = { headers: { "x-forwarded-for": "203.0.113.9" } };

/** Publishes `count` events over REST, which is not rate limited, so the stream moves on. */
async function publishSome(server: RunningServer, count: number): Promise<void> {
  const events = Array.from({ length: count }, () => ({ event: "custom:tick", payload: {} }));
  const res = await api(server, "POST", `/api/sessions/${SESSION}/events`, events);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** Waits until every id in `ids` has its one answer (ack or pong) and returns them by id. */
async function answersTo(socket: TestSocket, from: number, ids: readonly string[]) {
  const wanted = new Set(ids);
  const answers = await waitFor(() => {
    const found = socket.frames.slice(from).filter((f) => wanted.has(f.id));
    return found.length >= ids.length ? found : undefined;
  }, `answers to ${ids.length} frames`);
  assert.equal(answers.length, ids.length, "Some frame was answered twice");
  for (const answer of answers) assertWellFormedAnswer(answer, `answer to ${answer.id}`);
  return new Map(answers.map((f) => [f.id as string, f]));
}

function isRateLimited(answer: Frame | undefined): boolean {
  return answer?.event === "ack" && answer.payload.ok === false &&
    answer.payload.error.code === "RATE_LIMITED";
}

Deno.test("Floods are refused with coded answers while a well-behaved client keeps its stream", async (t) => {
  const server = await startTestServer(CONFIG);
  const watcher = await TestSocket.open(server, QUERY, CLIENT);
  try {
    await watcher.next((f) => f.event === "subscribed");
    await publishSome(server, 10);

    await t.step(
      "the per-address cap refuses the next upgrade and frees a slot on close",
      async () => {
        const extra = await Promise.all(
          [1, 2, 3, 4].map(() => TestSocket.open(server, QUERY, CLIENT)),
        );
        try {
          assert.equal(await connectionTotal(server), 5);
          const refused = await RawSocket.upgrade(server, `/ws${QUERY}`, CLIENT.headers);
          refused.socket.close();
          assert.equal(refused.status, 429);
          assert.equal(JSON.parse(refused.body).error.code, "LIMIT_EXCEEDED");
          assert.equal(await connectionTotal(server), 5);

          await extra.pop()!.close();
          await waitFor(
            async () => (await connectionTotal(server)) === 4 || undefined,
            "a free slot",
          );
          const replacement = await TestSocket.open(server, QUERY, CLIENT);
          extra.push(replacement);
          assert.equal(replacement.isOpen, true);
        } finally {
          await Promise.all(extra.map((s) => s.close()));
        }
        await waitFor(async () => (await connectionTotal(server)) === 1 || undefined, "one socket");
        await publishSome(server, 10);
      },
    );

    await t.step("frames beyond frameRate get RATE_LIMITED and the sender stays", async () => {
      const flooder = await TestSocket.open(server, QUERY, CLIENT);
      try {
        const mark = flooder.mark();
        const ids = Array.from({ length: 80 }, (_, i) => `p${i}`);
        for (const id of ids) flooder.send({ event: "ping", id, payload: { t: 1 } });
        // Pings without an id are answered too: a pong, or an error frame when refused.
        for (let i = 0; i < 10; i++) flooder.send({ event: "ping", payload: { t: 2 } });
        const answers = await answersTo(flooder, mark, ids);
        const limited = [...answers.values()].filter(isRateLimited).length;
        const ponged = [...answers.values()].filter((f) => f.event === "pong").length;
        assert.equal(limited + ponged, ids.length, "Every answer is a pong or RATE_LIMITED");
        assert.ok(ponged >= 40, `The burst of 40 passes, got ${ponged}`);
        assert.ok(limited >= 1, "Frames beyond the burst are refused");
        const unnamed = await waitFor(() => {
          const found = flooder.frames.slice(mark).filter((f) =>
            f.id === undefined && (f.event === "error" || (f.event === "pong" && f.payload.t === 2))
          );
          return found.length >= 10 ? found : undefined;
        }, "answers to the pings without an id");
        for (const frame of unnamed.filter((f) => f.event === "error")) {
          assert.equal(frame.payload.code, "RATE_LIMITED");
        }
        // At most 50 refusals (90 frames, 40 passing): under abuseLimit, so still connected.
        await new Promise((resolve) => setTimeout(resolve, 200)); // let the bucket refill a little
        const answer = await flooder.request({ event: "subscribe", session: SESSION });
        assert.equal(answer.ok, true, JSON.stringify(answer));
        assert.equal(flooder.isOpen, true);
      } finally {
        await flooder.close();
      }
      await publishSome(server, 10);
    });

    await t.step("persistent abuse past abuseLimit closes the connection with 4102", async () => {
      // A bucket of one frame, refilled every 2 s, makes the count exact: the first frame
      // passes, the next 51 are refused, and the 51st refusal (one over abuseLimit) closes.
      const strict = await startTestServer({ frameRate: 0.5, abuseLimit: 50 });
      const abuser = await TestSocket.open(strict, "?role=dashboard");
      try {
        let sent = 0;
        const ping = () => abuser.send({ event: "ping", id: sent++, payload: { t: 0 } });
        for (let i = 0; i < 52; i++) ping();
        // Only if the bucket refilled meanwhile does the close need more refusals: one at a
        // time, so that no frame is in flight when the close comes (see the next step).
        for (let extra = 0; extra < 10; extra++) {
          const answered = () => abuser.frames.filter((f) => typeof f.id === "number").length;
          await waitFor(() => !abuser.isOpen || answered() === sent || undefined, "answers");
          if (!abuser.isOpen) break;
          ping();
        }
        const close = await abuser.closed();
        assert.equal(close.code, 4102, `Closed with ${close.code} "${close.reason}"`);
        const answers = abuser.frames.filter((f) => typeof f.id === "number");
        assert.equal(answers.length, sent, "Every frame before the close was answered");
        for (const answer of answers) assertWellFormedAnswer(answer, `answer ${answer.id}`);
        assert.ok(answers.filter(isRateLimited).length > 50);
      } finally {
        await abuser.close();
        await strict.close();
      }
    });

    await t.step("a client that keeps flooding is cut off too", async () => {
      const abuser = await TestSocket.open(server, QUERY, CLIENT);
      try {
        for (let i = 0; i < 200; i++) abuser.send({ event: "ping", payload: { t: i } });
        const close = await abuser.closed();
        // Deno's server WebSocket drops the TCP connection when a frame arrives after it began
        // to close, so a client still sending may see a reset (Deno's client reports code 0,
        // browsers 1006) instead of 4102, and lose the frames queued before the close.
        assert.ok([4102, 1006, 0].includes(close.code), `Closed with ${close.code}`);
        for (const frame of abuser.frames) assertWellFormedAnswer(frame, "flood answer");
      } finally {
        await abuser.close();
      }
      await waitFor(async () => (await connectionTotal(server)) === 1 || undefined, "one socket");
      await publishSome(server, 10);
    });

    await t.step("commands have their own, stricter bucket; other frames still pass", async () => {
      // REDIRECT needs a running session.
      const res = await api(server, "POST", `/api/sessions/${SESSION}/events`, [
        { event: "execution:started", payload: {} },
      ]);
      assert.equal(res.status, 201);
      const steerer = await TestSocket.open(server, QUERY, CLIENT);
      try {
        const mark = steerer.mark();
        const commandIds: string[] = [];
        const pingIds: string[] = [];
        for (let i = 0; i < 12; i++) {
          commandIds.push(`c${i}`);
          steerer.send({
            event: "command",
            session: SESSION,
            id: `c${i}`,
            payload: { type: "REDIRECT", instruction: `step ${i}` },
          });
          pingIds.push(`q${i}`);
          steerer.send({ event: "ping", id: `q${i}`, payload: { t: i } });
        }
        const answers = await answersTo(steerer, mark, [...commandIds, ...pingIds]);
        // 24 frames fit the frame burst of 40: every ping passes.
        for (const id of pingIds) assert.equal(answers.get(id)?.event, "pong", id);
        const limited = commandIds.filter((id) => isRateLimited(answers.get(id)));
        const passed = commandIds.filter((id) => answers.get(id)?.payload.ok === true);
        assert.equal(limited.length + passed.length, commandIds.length);
        assert.ok(passed.length >= 4, `The command burst of 4 passes, got ${passed.length}`);
        assert.ok(limited.length >= 1, "Commands beyond their burst are refused");
        // A refused command also gets its failing command:result.
        const results = steerer.frames.slice(mark).filter((f) => f.event === "command:result");
        assert.equal(results.length, commandIds.length);
        assert.equal(
          results.filter((f) => f.payload.error?.code === "RATE_LIMITED").length,
          limited.length,
        );
        assert.equal(steerer.isOpen, true);
      } finally {
        await steerer.close();
      }
      await publishSome(server, 10);
    });

    await t.step(
      "the well-behaved dashboard kept every event, and the server is fine",
      async () => {
        const info = await api(server, "GET", `/api/sessions/${SESSION}`);
        const head: number = info.body.session.headSeq;
        const events = await watcher.waitForEvents(SESSION, head);
        assertSeqRun(events, 1, head, "well-behaved dashboard");
        assert.equal(watcher.isOpen, true);
        await assertHealthy(server);
        const fresh = await TestSocket.open(server, QUERY, CLIENT);
        try {
          await fresh.waitForEvents(SESSION, head);
          assertSeqRun(fresh.events(SESSION), 1, head, "fresh dashboard");
        } finally {
          await fresh.close();
        }
      },
    );
  } finally {
    await watcher.close();
    await server.close();
  }
});
