/**
 * @module The client and batched presence against a real server: the `subscribed` result holds
 * who is attached, and `on("presence")` receives the diffs, typed, with the session in `meta`.
 */
import assert from "node:assert/strict";
import type { PresenceDiff } from "../../client/mod.ts";
import { startTestServer } from "../_helpers.ts";
import { client, closeAll, next, waitFor } from "./_helpers.ts";

Deno.test("Socket: subscribed carries the membership, presence frames carry the changes", async () => {
  const server = await startTestServer();
  const first = client(server.url, { session: "watch" });
  const diffs: [PresenceDiff, string | undefined][] = [];
  first.on("presence", (diff, meta) => diffs.push([diff, meta.session]));
  const [firstResult] = await next(first, "subscribed");
  assert.deepEqual(firstResult.presence, { count: 0, members: [] });
  await waitFor(() => diffs.length === 1, "its own join announced");
  assert.deepEqual(diffs[0], [
    { count: 1, joined: [{ id: first.id!, role: "dashboard" }], left: [] },
    "watch",
  ]);

  const second = client(server.url, { session: "watch" });
  const [secondResult] = await next(second, "subscribed");
  assert.deepEqual(secondResult.presence, {
    count: 1,
    members: [{ id: first.id!, role: "dashboard" }],
  });
  await waitFor(() => diffs.length === 2, "the second join announced");
  const secondId = second.id!;
  assert.deepEqual(diffs[1][0], {
    count: 2,
    joined: [{ id: secondId, role: "dashboard" }],
    left: [],
  });

  second.disconnect();
  await waitFor(() => diffs.length === 3, "the leave announced");
  assert.deepEqual(diffs[2][0], { count: 1, joined: [], left: [secondId] });
  await closeAll(first, second);
  await server.close();
});
