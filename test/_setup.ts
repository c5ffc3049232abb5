/**
 * @module Run before the test suite (`deno task test`): installs the pinned, test-only Node
 * packages the client's Node runtime test loads, so a fresh checkout's test run needs nothing
 * but Node and npm (nothing is installed twice), and builds the dashboard bundle the browser
 * tests load (`deno task build:web`).
 */
const NODE_TESTS = new URL("./client/node/", import.meta.url);

try {
  await Deno.stat(new URL("node_modules/ws/package.json", NODE_TESTS));
} catch {
  const npm = Deno.build.os === "windows" ? "npm.cmd" : "npm";
  const { success } = await new Deno.Command(npm, {
    args: ["ci", "--no-audit", "--no-fund", "--loglevel=error"],
    cwd: NODE_TESTS,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!success) {
    console.error("npm ci in test/client/node failed: the Node runtime test will fail");
    Deno.exit(1);
  }
}

{
  // The build:web task's command, run with this Deno (CI may have no `deno` on its PATH).
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      ...["bundle", "--minify", "--platform", "browser", "--format", "esm"],
      ...["-o", "dist/web.js", "web/main.ts"],
    ],
    cwd: new URL("../", import.meta.url),
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    console.error(new TextDecoder().decode(stderr));
    console.error("Building dist/web.js failed: the dashboard tests will fail");
    Deno.exit(1);
  }
}
