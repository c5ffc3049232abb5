/**
 * @module Runs `deno task bench -- --smoke` (tiny N, a few seconds) and checks that all three
 * servers were measured and delivered everything, and so did two nodes on Redis. Timings are
 * not asserted: this machine may be busy.
 */
import assert from "node:assert/strict";

const REPO = new URL("../../", import.meta.url);
/** The smoke run takes about 30 s; past this it is stuck. */
const TIMEOUT_MS = 180_000;

interface Step {
  received: number;
  expected: number;
  complete: boolean;
}

interface Results {
  meta: { smoke: boolean };
  twoNodes?: {
    skipped?: string;
    setups: Record<string, { errors: string[]; fanout: Record<string, Step>; nodes: number }>;
  };
  servers: Record<
    string,
    {
      fanout: Record<string, Step>;
      errors: string[];
      storm?: Record<string, { ms: number }>;
      reconnect?: { missed: number; duplicates: number; failed: number };
      fastPublisher?: Step;
      perEvent?: Record<string, { acked: number }>;
    } | undefined
  >;
}

Deno.test("bench --smoke measures Switchboard, Socket.IO and the bare relay, on one and two nodes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-smoke-" });
  const out = `${dir}/smoke.json`;
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "bench/run.ts", "--smoke", "--out", out],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGTERM"), TIMEOUT_MS);
    const { code, stdout, stderr } = await child.output();
    clearTimeout(timer);
    const printed = new TextDecoder().decode(stdout);
    const log = new TextDecoder().decode(stderr);
    assert.equal(
      code,
      0,
      `bench --smoke exited with ${code}\n${printed}\n${log}`,
    );

    assert.match(
      printed,
      /\| metric \| Switchboard \| Socket\.IO \| bare relay \|/,
    );
    const results = JSON.parse(await Deno.readTextFile(out)) as Results;
    assert.equal(results.meta.smoke, true);
    for (const name of ["switchboard", "socketio", "relay"]) {
      const server = results.servers[name];
      assert.ok(server, `no results for ${name}`);
      assert.deepEqual(server.errors, [], `${name} reported errors`);
      const steps = Object.entries(server.fanout);
      assert.ok(steps.length > 0, `${name} ran no fan-out step`);
      for (const [n, step] of steps) {
        assert.ok(step.received > 0, `${name} N=${n}: nothing delivered`);
        assert.equal(
          step.received,
          step.expected,
          `${name} N=${n}: incomplete delivery`,
        );
        assert.equal(step.complete, true, `${name} N=${n}: not complete`);
      }
      assert.ok(server.storm?.["20"]?.ms, `${name}: no connect storm`);
      assert.equal(server.reconnect?.failed, 0, `${name}: a reconnect failed`);
      assert.equal(server.fastPublisher?.complete, true, `${name}: fast publisher incomplete`);
      assert.ok(server.perEvent?.["64"]?.acked, `${name}: no pipelined publishing`);
    }
    // Only Switchboard resumes: its subscribers miss nothing of the outage.
    const { reconnect } = results.servers.switchboard!;
    assert.deepEqual({ missed: reconnect?.missed, twice: reconnect?.duplicates }, {
      missed: 0,
      twice: 0,
    });
    assert.ok(results.servers["switchboard-sqlite"]?.perEvent?.["1"]?.acked);

    // Two nodes on one Redis: every subscriber on either node got every event (CI installs
    // redis-server; elsewhere without it the scenario says it was skipped).
    const two = results.twoNodes;
    assert.ok(two, "no two-node scenario");
    if (await haveRedisServer()) {
      assert.equal(two.skipped, undefined);
      for (const setup of ["switchboard-1-sqlite", "switchboard-2-redis", "socketio-1"]) {
        assert.ok(two.setups[setup], `no two-node results for ${setup}`);
      }
      for (const [setup, r] of Object.entries(two.setups)) {
        assert.deepEqual(r.errors, [], `${setup} reported errors`);
        const steps = Object.values(r.fanout);
        assert.equal(steps.length, 1, `${setup}: no fixed-rate step`);
        assert.equal(steps[0].complete, true, `${setup}: incomplete delivery`);
      }
      assert.equal(two.setups["switchboard-2-redis"].nodes, 2);
      assert.equal(two.setups["socketio-2-redis"]?.nodes, 2);
    } else {
      assert.match(two.skipped ?? "", /redis-server/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Whether `redis-server` can run here. */
async function haveRedisServer(): Promise<boolean> {
  try {
    return (await new Deno.Command("redis-server", { args: ["--version"] }).output()).success;
  } catch {
    return false;
  }
}
