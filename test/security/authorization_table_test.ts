/**
 * @module With a secret set, each role can do exactly what it is granted, over WebSocket and
 * REST alike: one table of cases, each run against a real server.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame } from "../_helpers.ts";
import { mint, type MintOptions, openAuthed, startSecureServer } from "./_tokens.ts";

type Outcome = "ok" | "FORBIDDEN" | "UNAUTHORIZED";

interface Case {
  name: string;
  token: MintOptions;
  /** Performs the action; resolves `ok` or the error code it got. */
  act: (server: RunningServer, token: string) => Promise<string>;
  expect: Outcome;
}

/** Runs one WebSocket request and reports `ok` or its error code. */
function overSocket(frame: Frame): Case["act"] {
  return async (server, token) => {
    const socket = await openAuthed(server, token);
    try {
      const ack = await socket.request(frame);
      return ack.ok ? "ok" : ack.error.code;
    } finally {
      await socket.close();
    }
  };
}

/** Runs one REST call and reports `ok` (2xx) or its error code. */
function overRest(method: string, path: string, body?: unknown): Case["act"] {
  return async (server, token) => {
    const res = await api(server, method, path, body, { authorization: `Bearer ${token}` });
    return res.status < 300 ? "ok" : res.body.error.code;
  };
}

const dashboardA: MintOptions = { role: "dashboard", sessions: ["team-a:*"] };
const orchestratorA: MintOptions = { role: "orchestrator", sessions: ["team-a:run"] };
const admin: MintOptions = { role: "admin" };
const skill = { event: "skill:started", payload: { skill: "lint" } };
const redirect = { type: "REDIRECT", instruction: "try again" };

const CASES: Case[] = [
  // WebSocket: reading
  {
    name: "ws dashboard subscribes to a granted session",
    token: dashboardA,
    act: overSocket({ event: "subscribe", session: "team-a:run" }),
    expect: "ok",
  },
  {
    name: "ws dashboard subscribes by pattern to a new session",
    token: dashboardA,
    act: overSocket({ event: "subscribe", session: "team-a:other" }),
    expect: "ok",
  },
  {
    name: "ws dashboard subscribes to another team's session",
    token: dashboardA,
    act: overSocket({ event: "subscribe", session: "team-b:run" }),
    expect: "FORBIDDEN",
  },
  {
    name: "ws token without sessions subscribes",
    token: { role: "dashboard" },
    act: overSocket({ event: "subscribe", session: "team-a:run" }),
    expect: "FORBIDDEN",
  },
  // WebSocket: publishing
  {
    name: "ws orchestrator publishes to its session",
    token: orchestratorA,
    act: overSocket({ ...skill, session: "team-a:run" }),
    expect: "ok",
  },
  {
    name: "ws orchestrator publishes to an ungranted session",
    token: orchestratorA,
    act: overSocket({ ...skill, session: "team-b:run" }),
    expect: "FORBIDDEN",
  },
  {
    name: "ws dashboard publishes an orchestrator event",
    token: dashboardA,
    act: overSocket({ ...skill, session: "team-a:run" }),
    expect: "FORBIDDEN",
  },
  {
    name: "ws dashboard publishes chat",
    token: dashboardA,
    act: overSocket({ event: "chat:message", session: "team-a:run", payload: { text: "hi" } }),
    expect: "ok",
  },
  {
    name: "ws dashboard with the publish scope publishes",
    token: { ...dashboardA, scope: "publish" },
    act: overSocket({ ...skill, session: "team-a:run" }),
    expect: "ok",
  },
  // WebSocket: commands
  {
    name: "ws dashboard steers a granted session",
    token: dashboardA,
    act: overSocket({ event: "command", session: "team-a:run", payload: redirect }),
    expect: "ok",
  },
  {
    name: "ws dashboard steers an ungranted session",
    token: dashboardA,
    act: overSocket({ event: "command", session: "team-b:run", payload: redirect }),
    expect: "FORBIDDEN",
  },
  {
    name: "ws orchestrator sends a command",
    token: orchestratorA,
    act: overSocket({ event: "command", session: "team-a:run", payload: redirect }),
    expect: "FORBIDDEN",
  },
  {
    name: "ws orchestrator with the commands scope steers",
    token: { ...orchestratorA, scope: "commands" },
    act: overSocket({ event: "command", session: "team-a:run", payload: redirect }),
    expect: "ok",
  },
  {
    name: "ws admin steers any session",
    token: admin,
    act: overSocket({ event: "command", session: "team-b:run", payload: redirect }),
    expect: "ok",
  },
  {
    name: "ws admin publishes anywhere",
    token: admin,
    act: overSocket({ ...skill, session: "team-b:run" }),
    expect: "ok",
  },
  // REST
  {
    name: "rest dashboard reads a granted session",
    token: dashboardA,
    act: overRest("GET", "/api/sessions/team-a:run"),
    expect: "ok",
  },
  {
    name: "rest dashboard reads an ungranted session",
    token: dashboardA,
    act: overRest("GET", "/api/sessions/team-b:run"),
    expect: "FORBIDDEN",
  },
  {
    name: "rest dashboard pages an ungranted history",
    token: dashboardA,
    act: overRest("GET", "/api/sessions/team-b:run/events"),
    expect: "FORBIDDEN",
  },
  {
    name: "rest orchestrator publishes to its session",
    token: orchestratorA,
    act: overRest("POST", "/api/sessions/team-a:run/events", skill),
    expect: "ok",
  },
  {
    name: "rest orchestrator publishes to an ungranted session",
    token: orchestratorA,
    act: overRest("POST", "/api/sessions/team-b:run/events", skill),
    expect: "FORBIDDEN",
  },
  {
    name: "rest dashboard publishes an orchestrator event",
    token: dashboardA,
    act: overRest("POST", "/api/sessions/team-a:run/events", skill),
    expect: "FORBIDDEN",
  },
  {
    name: "rest dashboard steers a granted session",
    token: dashboardA,
    act: overRest("POST", "/api/sessions/team-a:run/commands", redirect),
    expect: "ok",
  },
  {
    name: "rest orchestrator sends a command",
    token: orchestratorA,
    act: overRest("POST", "/api/sessions/team-a:run/commands", redirect),
    expect: "FORBIDDEN",
  },
  {
    name: "rest dashboard deletes a session",
    token: dashboardA,
    act: overRest("DELETE", "/api/sessions/team-a:spare"),
    expect: "FORBIDDEN",
  },
  {
    name: "rest orchestrator creates an ungranted session",
    token: orchestratorA,
    act: overRest("POST", "/api/sessions", { sessionId: "team-b:new" }),
    expect: "FORBIDDEN",
  },
  {
    name: "rest dashboard registers a skill",
    token: dashboardA,
    act: overRest("PUT", "/api/skills/lint", { description: "Lints" }),
    expect: "FORBIDDEN",
  },
  {
    name: "rest admin registers a skill",
    token: admin,
    act: overRest("PUT", "/api/skills/lint", { description: "Lints" }),
    expect: "ok",
  },
  {
    name: "rest admin deletes a session",
    token: admin,
    act: overRest("DELETE", "/api/sessions/team-a:spare"),
    expect: "ok",
  },
  {
    name: "rest token signed with another secret",
    token: { ...admin, secret: "another-secret-entirely-wrong" },
    act: overRest("GET", "/api/sessions"),
    expect: "UNAUTHORIZED",
  },
  {
    name: "rest expired token",
    token: { ...admin, ttlS: -60 },
    act: overRest("GET", "/api/sessions"),
    expect: "UNAUTHORIZED",
  },
];

Deno.test("each role can do exactly what it is granted, over WebSocket and REST", async (t) => {
  const server = await startSecureServer();
  try {
    const adminToken = await mint(admin);
    for (const id of ["team-a:run", "team-b:run", "team-a:spare"]) {
      const res = await api(server, "POST", `/api/sessions/${id}/events`, {
        event: "execution:started",
      }, {
        authorization: `Bearer ${adminToken}`,
      });
      assert.equal(res.status, 201);
    }
    assert.ok(CASES.length >= 20);
    for (const c of CASES) {
      await t.step(`${c.name}: ${c.expect}`, async () => {
        assert.equal(await c.act(server, await mint(c.token)), c.expect);
      });
    }
  } finally {
    await server.close();
  }
});

Deno.test("lists and stats show only granted sessions", async () => {
  const server = await startSecureServer();
  try {
    const adminAuth = { authorization: `Bearer ${await mint(admin)}` };
    for (const id of ["team-a:one", "team-b:two"]) {
      await api(server, "POST", "/api/sessions", { sessionId: id }, adminAuth);
    }
    const watcher = await openAuthed(
      server,
      await mint({ role: "dashboard", sessions: ["team-b:*"] }),
      "?session=team-b:two",
    );
    const dashboardAuth = { authorization: `Bearer ${await mint(dashboardA)}` };
    const list = await api(server, "GET", "/api/sessions", undefined, dashboardAuth);
    assert.deepEqual(list.body.sessions.map((s: Frame) => s.id), ["team-a:one"]);
    const all = await api(server, "GET", "/api/sessions", undefined, adminAuth);
    assert.deepEqual(all.body.sessions.map((s: Frame) => s.id).sort(), [
      "team-a:one",
      "team-b:two",
    ]);
    const stats = await api(server, "GET", "/api/stats", undefined, dashboardAuth);
    assert.deepEqual(stats.body.connections.bySession, {});
    assert.equal(stats.body.connections.total, 0);
    assert.equal(stats.body.traffic, null, "server-wide traffic is for admins");
    const adminStats = await api(server, "GET", "/api/stats", undefined, adminAuth);
    assert.deepEqual(adminStats.body.connections.bySession, { "team-b:two": 1 });
    await watcher.close();
  } finally {
    await server.close();
  }
});
