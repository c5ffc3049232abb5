/**
 * @module Assembles the Hono app: REST routes, the WebSocket endpoint and error mapping.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Hub } from "./hub/hub.ts";
import type { Actor } from "./hub/transport.ts";
import { SwitchboardError } from "./protocol/errors.ts";
import { errorResponse } from "./routes/_respond.ts";
import { clientBundleRoutes } from "./routes/client_bundle.ts";
import { healthRoutes } from "./routes/health.ts";
import { sessionEventRoutes } from "./routes/session_events.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { skillRoutes } from "./routes/skills.ts";
import { statsRoutes } from "./routes/stats.ts";
import type { SkillRegistry } from "./skills/registry.ts";
import { VERSION } from "./version.ts";
import { upgradeWebSocket } from "./ws/upgrade.ts";

/** Options of {@linkcode createApp}. */
export interface AppOptions {
  /** The hub every route talks to. */
  hub: Hub;
  /** Registered skills. */
  skills: SkillRegistry;
  /** Largest inbound frame or body, in bytes. */
  maxFrameBytes: number;
  /** Start time for `uptimeS`. @default Date.now() */
  startedAt?: number;
}

/** Until authentication exists, REST callers act as admin (local development mode). */
const REST_ACTOR: Actor = { id: "rest", role: "admin" };

/** Builds the HTTP application. */
export function createApp(options: AppOptions): Hono {
  const { hub, skills, maxFrameBytes } = options;
  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) =>
    errorResponse(c, new SwitchboardError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}`))
  );
  const limitBody = bodyLimit({
    maxSize: maxFrameBytes,
    onError: (c) =>
      errorResponse(
        c,
        new SwitchboardError("FRAME_TOO_LARGE", `Body is larger than ${maxFrameBytes} bytes`),
      ),
  });
  // Only requests that may carry a body: wrapping a GET or DELETE would rebuild it for nothing.
  app.on(["POST", "PUT", "PATCH"], "/api/*", limitBody);
  app.get("/ws", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new SwitchboardError("INVALID_FRAME", "GET /ws needs a WebSocket upgrade");
    }
    return upgradeWebSocket(c.req.raw, hub, { maxFrameBytes });
  });
  app.route(
    "/health",
    healthRoutes(hub, { version: VERSION, startedAt: options.startedAt ?? Date.now() }),
  );
  app.route("/api/sessions", sessionRoutes(hub));
  app.route("/api/sessions", sessionEventRoutes(hub, REST_ACTOR));
  app.route("/api/skills", skillRoutes(skills));
  app.route("/api/stats", statsRoutes(hub));
  app.route("/client.js", clientBundleRoutes());
  return app;
}
