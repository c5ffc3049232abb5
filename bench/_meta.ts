/**
 * @module Versions and machine facts recorded with every run.
 */
import { BENCH_DIR } from "./_npm.ts";

/** Versions of everything measured or measuring. */
export async function versions(): Promise<Record<string, string>> {
  const pkg = async (name: string) => {
    try {
      const text = await Deno.readTextFile(
        `${BENCH_DIR}node_modules/${name}/package.json`,
      );
      return (JSON.parse(text) as { version: string }).version;
    } catch {
      return "not installed";
    }
  };
  const switchboard = await import("../src/version.ts").then((m) => m.VERSION)
    .catch(() => "?");
  return {
    switchboard,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    node: await output("node", ["--version"]),
    "socket.io": await pkg("socket.io"),
    "engine.io": await pkg("engine.io"),
    "@socket.io/redis-streams-adapter": await pkg(
      "@socket.io/redis-streams-adapter",
    ),
    ioredis: await pkg("ioredis"),
    "redis-server": (await output("redis-server", ["--version"])).split(" ")[2] ??
      "unavailable",
    ws: await pkg("ws"),
    bufferutil: await pkg("bufferutil") +
      (await loads("bufferutil") ? "" : " (not loadable)"),
  };
}

/** CPU model, core count and kernel. */
export async function machine(): Promise<
  { cpu: string; cores: number; kernel: string }
> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    kernel: await output("uname", ["-sr"]),
  };
}

/** Whether Node can load `name` from bench/ (bufferutil is native: it may fail to load). */
async function loads(name: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("node", {
      args: ["-e", `require(${JSON.stringify(name)})`],
      cwd: BENCH_DIR,
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

async function output(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await new Deno.Command(command, { args, stderr: "null" })
      .output();
    return new TextDecoder().decode(stdout).trim();
  } catch {
    return "unavailable";
  }
}
