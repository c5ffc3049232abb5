/**
 * @module The `switchboard` command: flags and environment → configuration → server. Wiring only.
 */
import { parseCli, USAGE } from "./src/config/cli.ts";
import { log } from "./src/observe/log.ts";
import { startServer } from "./src/server.ts";
import { VERSION } from "./src/version.ts";

async function main(): Promise<number> {
  let cli;
  try {
    cli = parseCli(Deno.args, Deno.env.toObject());
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const server = await startServer(cli.input, {
    onListen: ({ hostname, port }) => {
      const url = `http://${hostname}:${port}`;
      log.info(`Switchboard ${VERSION} listening on ${url}`, { version: VERSION, url });
    },
  });
  if (!server.authenticated) {
    log.warn(
      "DEVELOPMENT MODE: no SWITCHBOARD_JWT_SECRET set. Every client acts in the role it " +
        "declares, on every session; REST callers act as admin. Do not expose this port.",
    );
  }
  let stopping = false;
  const stop = () => {
    // A second signal means "now": skip what is left of the graceful shutdown.
    if (stopping) Deno.exit(1);
    stopping = true;
    log.info("Shutting down", { timeoutMs: server.config.shutdownTimeout });
    // Should closing the store itself hang, the deadline still holds (plus a little slack).
    setTimeout(() => Deno.exit(1), server.config.shutdownTimeout + 1000);
    server.close().then((inTime) => {
      if (inTime) log.info("Stopped");
      else log.warn("Shutdown deadline passed: some clients did not close cleanly");
      Deno.exit(0);
    });
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return await new Promise<never>(() => {});
}

if (import.meta.main) {
  try {
    const code = await main();
    Deno.exit(code);
  } catch (error) {
    console.error(`Switchboard failed to start: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
