/**
 * @module The client against a server that requires tokens: credentials in the first frame,
 * renewal before expiry without a reconnect, and what a refused token does to reconnection.
 */
import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { api, startTestServer } from "../_helpers.ts";
import { client, closeAll, next, recordEvents, waitFor } from "./_helpers.ts";

const SECRET = "client-test-secret-long-enough";

function token(ttlS: number, sub = "ana"): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + ttlS;
  return sign({ sub, role: "dashboard", sessions: ["s1"], exp }, SECRET, "HS256");
}

Deno.test("client auth: the token goes in the first frame and events flow", async () => {
  const server = await startTestServer({ jwtSecret: SECRET });
  const socket = client(server.url, { session: "s1", auth: { token: await token(3600) } });
  try {
    await next(socket, "connect");
    const seen = recordEvents(socket);
    const admin = await sign(
      { sub: "ops", role: "admin", exp: Math.floor(Date.now() / 1000) + 60 },
      SECRET,
    );
    await api(server, "POST", "/api/sessions/s1/events", { event: "execution:started" }, {
      authorization: `Bearer ${admin}`,
    });
    await waitFor(() => seen.length === 1, "the published event");
    assert.equal(seen[0].event, "execution:started");
  } finally {
    await closeAll(socket);
    await server.close();
  }
});

Deno.test("client auth: an auth function renews the token in place before it expires", async () => {
  const server = await startTestServer({ jwtSecret: SECRET });
  let calls = 0;
  // The first token lives 2 s; renewals live an hour.
  const socket = client(server.url, {
    session: "s1",
    auth: async () => ({ token: await token(calls++ ? 3600 : 2) }),
  });
  const disconnects: unknown[] = [];
  socket.on("disconnect", (reason) => disconnects.push(reason));
  try {
    await next(socket, "connect");
    await next(socket, "auth:expiring", 4000);
    await waitFor(() => calls === 2, "the renewal");
    // Past the first token's expiry the same connection is still up.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(socket.connected, true);
    assert.deepEqual(disconnects, []);
    assert.equal(typeof await socket.ping(), "number");
  } finally {
    await closeAll(socket);
    await server.close();
  }
});

Deno.test("client auth: a refused static token is final; an auth function gets another try", async () => {
  const server = await startTestServer({ jwtSecret: SECRET });
  const refused = client(server.url, { session: "s1", auth: { token: "not-a-token" } });
  let calls = 0;
  const renewing = client(server.url, {
    session: "s1",
    auth: async () => ({ token: calls++ === 0 ? "not-a-token" : await token(3600) }),
  });
  const errors: { code: string; message: string }[] = [];
  refused.on("connect_error", (error) => errors.push(error));
  try {
    await waitFor(() => !refused.active, "the static-token client to give up");
    assert.match(errors[0]?.message ?? "", /4001/);
    await waitFor(() => renewing.connected, "the renewing client to connect with its next token");
    assert.equal(calls, 2);
  } finally {
    await closeAll(refused, renewing);
    await server.close();
  }
});
