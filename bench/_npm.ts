/**
 * @module Installs the benchmark's Node dependencies (Socket.IO and its Redis streams adapter,
 * ioredis, ws, bufferutil) into bench/node_modules from the committed lock file, when missing.
 */
import { fileURLToPath } from "node:url";

/** The bench/ folder. */
export const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Runs `npm ci` in bench/ unless its dependencies are installed already. */
export async function ensureNodeModules(): Promise<void> {
  // One marker per dependency added since, so an older install is brought up to date.
  const markers = ["socket.io", "@socket.io/redis-streams-adapter", "ioredis"]
    .map((name) => `${BENCH_DIR}node_modules/${name}/package.json`);
  const present = await Promise.all(
    markers.map((marker) => Deno.stat(marker).then(() => true, () => false)),
  );
  if (present.every(Boolean)) return;
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
