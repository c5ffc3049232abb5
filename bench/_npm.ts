/**
 * @module Installs the benchmark's Node dependencies (Socket.IO, ws, bufferutil) into
 * bench/node_modules from the committed lock file, when they are missing.
 */
import { fileURLToPath } from "node:url";

/** The bench/ folder. */
export const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Runs `npm ci` in bench/ unless its dependencies are installed already. */
export async function ensureNodeModules(): Promise<void> {
  const marker = `${BENCH_DIR}node_modules/socket.io/package.json`;
  try {
    await Deno.stat(marker);
    return;
  } catch {
    // Not installed yet.
  }
  console.error(
    "bench: installing Node dependencies (npm ci --prefix bench)...",
  );
  const { success, stderr } = await new Deno.Command("npm", {
    args: ["ci", "--prefix", BENCH_DIR, "--no-audit", "--no-fund"],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(
      `npm ci in bench/ failed:\n${new TextDecoder().decode(stderr)}`,
    );
  }
}
