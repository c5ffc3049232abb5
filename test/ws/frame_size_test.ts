/**
 * @module Tests of the inbound frame size limit: a frame of exactly maxFrameBytes is accepted,
 * one byte more (counted in UTF-8) earns FRAME_TOO_LARGE and close 4009, and other clients of
 * the session are not disturbed.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";
import { assertSeqRun } from "./_stream.ts";

const MAX_FRAME_BYTES = 2048;

Deno.test("an over-size frame gets FRAME_TOO_LARGE, then close 4009", async (t) => {
  const server = await startTestServer({ maxFrameBytes: MAX_FRAME_BYTES });
  const observer = await TestSocket.open(server, "?session=big");
  try {
    await observer.next((f) => f.event === "subscribed");
    /** A chat message frame whose text is `text`, with an id. */
    const frameWith = (text: string) =>
      JSON.stringify({ event: "chat:message", session: "big", id: 1, payload: { text } });
    const overhead = frameWith("").length;

    await t.step("a frame of exactly the limit is accepted", async () => {
      const socket = await TestSocket.open(server);
      try {
        const text = frameWith("a".repeat(MAX_FRAME_BYTES - overhead));
        assert.equal(new TextEncoder().encode(text).length, MAX_FRAME_BYTES);
        socket.send(text);
        const ack = await socket.next((f) => f.event === "ack");
        assert.equal(ack.payload.ok, true);
      } finally {
        await socket.close();
      }
    });

    const oversize: [string, string][] = [
      ["one byte over", frameWith("a".repeat(MAX_FRAME_BYTES - overhead + 1))],
      // Few characters but many bytes: the limit is in UTF-8 bytes, not string length.
      ["multi-byte text", frameWith("€".repeat(Math.ceil(MAX_FRAME_BYTES / 3) + 1))],
    ];
    for (const [name, text] of oversize) {
      await t.step(`${name}: error frame, close 4009, others unaffected`, async () => {
        assert.ok(text.length < MAX_FRAME_BYTES * 2);
        const socket = await TestSocket.open(server, "?session=big");
        try {
          await socket.next((f) => f.event === "subscribed");
          socket.send(text);
          const close = await socket.closed();
          assert.equal(close.code, 4009);
          const error = socket.frames.find((f) => f.event === "error");
          assert.equal(error?.payload.code, "FRAME_TOO_LARGE");
          assert.match(error?.payload.message, /2048/);
          assert.equal(socket.frames.some((f) => f.event === "ack"), false);
        } finally {
          await socket.close();
        }
        const after = await api(server, "POST", "/api/sessions/big/events", {
          event: "custom:after",
          payload: {},
        });
        const [seq] = after.body.seqs;
        assertSeqRun(await observer.waitForEvents("big", seq), 1, seq, "observer");
      });
    }
    assert.equal((await api(server, "GET", "/health")).body.status, "healthy");
  } finally {
    await observer.close();
    await server.close();
  }
});
