/**
 * @module Tests of configuration: `resolveConfig()` defaults and errors, and `parseCli()` flags,
 * environment variables, `--` handling and `--help`.
 */
import assert from "node:assert/strict";
import { parseCli, USAGE } from "../../src/config/cli.ts";
import { resolveConfig } from "../../src/config/mod.ts";

Deno.test("resolveConfig() fills in the documented defaults", () => {
  const config = resolveConfig();
  assert.equal(config.port, 8000);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.heartbeatMs, 25_000);
  assert.equal(config.skillsDir, undefined);
  assert.equal(config.maxFrameBytes, 1024 * 1024);
  assert.equal(config.maxBufferedBytes, 8 * 1024 * 1024);
  assert.equal(config.store, "sqlite:.data/switchboard.db");
  assert.equal(config.storeSync, "full");
  assert.equal(config.historyLimit, 100_000);
  assert.equal(config.historyMaxAge, 7 * 24 * 3_600_000);
  assert.deepEqual(resolveConfig({}), config);
});

Deno.test("resolveConfig() keeps given values", () => {
  const config = resolveConfig({
    port: 0,
    host: "::1",
    heartbeatMs: 0,
    skillsDir: "skills",
    store: "memory",
    historyLimit: 1,
    historyMaxAge: 0,
  });
  assert.equal(config.port, 0);
  assert.equal(config.host, "::1");
  assert.equal(config.heartbeatMs, 0, "0 turns the heartbeat off");
  assert.equal(config.skillsDir, "skills");
  assert.equal(config.store, "memory");
  assert.equal(config.historyLimit, 1);
  assert.equal(config.historyMaxAge, 0);
});

Deno.test("resolveConfig() reads durations as milliseconds", async (t) => {
  const cases: [string | number, number][] = [
    [5000, 5000],
    ["250", 250],
    ["250ms", 250],
    ["30s", 30_000],
    ["15m", 900_000],
    ["12h", 43_200_000],
    ["7d", 604_800_000],
    ["0", 0],
  ];
  for (const [given, ms] of cases) {
    await t.step(`${JSON.stringify(given)} is ${ms} ms`, () => {
      assert.equal(resolveConfig({ historyMaxAge: given }).historyMaxAge, ms);
    });
  }
});

Deno.test("resolveConfig() fails fast with a message naming the setting", async (t) => {
  const cases: [Parameters<typeof resolveConfig>[0], RegExp][] = [
    [{ port: 70000 }, /Field "port"/],
    [{ port: -1 }, /Field "port"/],
    [{ port: 80.5 }, /Field "port"/],
    [{ host: "" }, /Field "host"/],
    [{ heartbeatMs: 10 }, /Field "heartbeatMs": Must be 0 \(off\) or at least 50/],
    [{ skillsDir: "" }, /Field "skillsDir"/],
    [{ maxFrameBytes: 10 }, /Field "maxFrameBytes"/],
    [{ maxBufferedBytes: 1 }, /Field "maxBufferedBytes"/],
    [{ store: "redis://x" }, /Field "store": Use "memory" or "sqlite:PATH"/],
    [{ store: "sqlite:" }, /Field "store"/],
    [{ storeSync: "off" as "full" }, /Field "storeSync"/],
    [{ historyLimit: 0 }, /Field "historyLimit"/],
    [{ historyMaxAge: "7 days" }, /Field "historyMaxAge"/],
    [{ historyMaxAge: -5 }, /Field "historyMaxAge"/],
  ];
  for (const [input, message] of cases) {
    await t.step(JSON.stringify(input), () => {
      assert.throws(() => resolveConfig(input), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /^Invalid configuration: /);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

Deno.test("parseCli() turns flags into configuration input", async (t) => {
  await t.step("no flags, no environment: empty input", () => {
    assert.deepEqual(parseCli([], {}), { help: false, input: {} });
  });

  await t.step("every flag, numbers as numbers", () => {
    const result = parseCli([
      "--port",
      "9000",
      "--host",
      "localhost",
      "--heartbeat-ms",
      "0",
      "--skills",
      "./skills",
      "--max-frame-bytes",
      "2048",
      "--store",
      "memory",
      "--store-sync",
      "normal",
      "--history-limit",
      "50",
      "--history-max-age",
      "12h",
    ], {});
    assert.deepEqual(result, {
      help: false,
      input: {
        port: 9000,
        host: "localhost",
        heartbeatMs: 0,
        skillsDir: "./skills",
        maxFrameBytes: 2048,
        store: "memory",
        storeSync: "normal",
        historyLimit: 50,
        historyMaxAge: "12h",
      },
    });
    if (result.help) throw new Error("unreachable");
    assert.equal(resolveConfig(result.input).historyMaxAge, 43_200_000, "the input validates");
  });

  await t.step("--flag=value works too", () => {
    assert.deepEqual(parseCli(["--port=1234"], {}), { help: false, input: { port: 1234 } });
  });

  await t.step("a leading -- (from deno task start -- ...) is skipped", () => {
    assert.deepEqual(parseCli(["--", "--port", "1"], {}), { help: false, input: { port: 1 } });
  });
});

Deno.test("parseCli() reads the environment; flags win", async (t) => {
  const env = {
    PORT: "7000",
    HOST: "::1",
    SWITCHBOARD_HEARTBEAT_MS: "100",
    SWITCHBOARD_SKILLS_DIR: "/skills",
    SWITCHBOARD_MAX_FRAME_BYTES: "4096",
    SWITCHBOARD_STORE: "sqlite:/tmp/x.db",
    SWITCHBOARD_STORE_SYNC: "normal",
    SWITCHBOARD_HISTORY_LIMIT: "10",
    SWITCHBOARD_HISTORY_MAX_AGE: "1d",
  };

  await t.step("each setting from its variable", () => {
    assert.deepEqual(parseCli([], env), {
      help: false,
      input: {
        port: 7000,
        host: "::1",
        heartbeatMs: 100,
        skillsDir: "/skills",
        maxFrameBytes: 4096,
        store: "sqlite:/tmp/x.db",
        storeSync: "normal",
        historyLimit: 10,
        historyMaxAge: "1d",
      },
    });
  });

  await t.step("a flag overrides its variable", () => {
    const result = parseCli(["--port", "8080", "--store", "memory"], env);
    assert.ok(!result.help);
    assert.equal(result.input.port, 8080);
    assert.equal(result.input.store, "memory");
    assert.equal(result.input.host, "::1");
  });

  await t.step("empty variables are ignored; unrelated ones too", () => {
    assert.deepEqual(parseCli([], { PORT: "", HOME: "/root", SWITCHBOARD_NOPE: "1" }), {
      help: false,
      input: {},
    });
  });
});

Deno.test("parseCli() answers --help and -h", () => {
  for (const args of [["--help"], ["-h"], ["--", "--help"], ["--port", "1", "--help"]]) {
    assert.deepEqual(parseCli(args, {}), { help: true }, args.join(" "));
  }
  for (const flag of ["--port", "--host", "--heartbeat-ms", "--skills", "--max-frame-bytes"]) {
    assert.ok(USAGE.includes(flag), `USAGE documents ${flag}`);
  }
  for (const flag of ["--store", "--store-sync", "--history-limit", "--history-max-age"]) {
    assert.ok(USAGE.includes(flag), `USAGE documents ${flag}`);
  }
});

Deno.test("parseCli() rejects what it cannot read", async (t) => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["--bogus"], {}, /--bogus/],
    [["--port"], {}, /--port/],
    [["serve"], {}, /serve/],
    [["--port", "abc"], {}, /^Invalid --port "abc": not a number$/],
    [["--history-limit", "lots"], {}, /^Invalid --history-limit "lots"/],
    [[], { PORT: "abc" }, /^Invalid PORT "abc": not a number$/],
    [[], { SWITCHBOARD_HEARTBEAT_MS: "soon" }, /^Invalid SWITCHBOARD_HEARTBEAT_MS "soon"/],
  ];
  for (const [args, env, message] of cases) {
    await t.step(`${args.join(" ")} ${JSON.stringify(env)}`, () => {
      assert.throws(() => parseCli(args, env), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
