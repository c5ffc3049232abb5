/**
 * @module Reads a process's CPU time and resident memory from /proc, the way the benchmark
 * charges each server for its work (all threads: event loop, GC, I/O).
 */

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, nearly always 100). */
export async function clockTicks(): Promise<number> {
  if (ticksPerSecond !== undefined) return ticksPerSecond;
  try {
    const { stdout } = await new Deno.Command("getconf", { args: ["CLK_TCK"] })
      .output();
    const value = Number(new TextDecoder().decode(stdout).trim());
    ticksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** User plus system CPU seconds the process `pid` has used so far, over all its threads. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: split after its closing ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 (utime) and 15 (stime) of stat(5) are at 11 and 12 after "pid (comm) ".
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / await clockTicks();
}

/** Resident set size of `pid` in bytes (VmRSS). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Whether `taskset` can pin processes here (Linux with util-linux, at least 2 cores). */
export async function canPin(): Promise<boolean> {
  if (navigator.hardwareConcurrency < 2) return false;
  try {
    const { success } = await new Deno.Command("taskset", {
      args: ["-c", "1", "true"],
    }).output();
    return success;
  } catch {
    return false;
  }
}
