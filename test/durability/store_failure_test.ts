/**
 * @module Store failures: a bad database path stops start-up; a full disk fails the publish with
 * STORE_FAILED while the server stays up.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "--port", "0", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("start-up fails with a clear message for an unusable database path", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("a file that is not a database", async () => {
      await Deno.writeTextFile(`${dir}/junk.db`, "not sqlite ".repeat(200));
      const { code, stderr } = await run(["--store", `sqlite:${dir}/junk.db`]);
      assert.notEqual(code, 0);
      assert.match(stderr, /Cannot open store "sqlite:.*junk\.db": file is not a database/);
    });
    await t.step("a directory that cannot be created", async () => {
      await Deno.writeTextFile(`${dir}/plain-file`, "x");
      const { code, stderr } = await run(["--store", `sqlite:${dir}/plain-file/sub/x.db`]);
      assert.notEqual(code, 0);
      assert.match(stderr, /Cannot open store "sqlite:.*plain-file\/sub\/x\.db": cannot create/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Mounts a small tmpfs, or returns undefined where this sandbox may not mount. */
async function mountTinyFs(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  const dir = await Deno.makeTempDir();
  const { success } = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  if (success) return dir;
  await Deno.remove(dir);
  return undefined;
}

const tinyFs = await mountTinyFs();

Deno.test({
  name: "a full disk fails the publish with STORE_FAILED; the server stays up and recovers",
  ignore: tinyFs === undefined, // needs root to mount a tmpfs; CI runs as root
  async fn() {
    const dir = tinyFs!;
    const server = await startTestServer({ store: `sqlite:${dir}/full.db` });
    const dashboard = await TestSocket.open(server, "?session=disk&role=dashboard");
    try {
      const ok = await api(server, "POST", "/api/sessions/disk/events", { event: "custom:first" });
      assert.equal(ok.status, 201);
      // Fill the file system, leaving the database nowhere to grow.
      const filler = await Deno.open(`${dir}/filler`, { write: true, create: true });
      const chunk = new Uint8Array(64 * 1024);
      try {
        while (true) await filler.write(chunk);
      } catch {
        // ENOSPC: the disk is full now
      } finally {
        filler.close();
      }
      const big = { event: "custom:big", payload: { blob: "x".repeat(200_000) } };
      const failed = await api(server, "POST", "/api/sessions/disk/events", big);
      assert.equal(failed.status, 503);
      assert.equal(failed.body.error.code, "STORE_FAILED");
      assert.equal((await api(server, "GET", "/health")).status, 200);

      await Deno.remove(`${dir}/filler`);
      const again = await api(server, "POST", "/api/sessions/disk/events", big);
      assert.equal(again.status, 201);
      assert.deepEqual(again.body.seqs, [2]);
      // The dashboard saw exactly the stored events, nothing of the failed write.
      const seen = await dashboard.waitForEvents("disk", 2);
      assert.deepEqual(seen.map((f) => [f.seq, f.event]), [[1, "custom:first"], [2, "custom:big"]]);
    } finally {
      await dashboard.close();
      await server.close();
      await new Deno.Command("umount", { args: [dir] }).output();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
