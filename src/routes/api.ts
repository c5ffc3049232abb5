/**
 * @module `/api/*`: CORS, origin, body limit, authentication and rate limits in front of the
 * resources. Session ids in paths go through the gate's one check.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { EdgeContext } from "../app.ts";
import { aguiRoutes } from "../agui/routes.ts";
import { ClaudeCodeHooks } from "../hooks/claude_code.ts";
import { approvalPolicyRoutes, claudeCodeHookRoutes } from "../hooks/routes.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { isOriginAllowed } from "../ws/origin.ts";
import { type ApiEnv, authenticate } from "./_auth.ts";
import { errorResponse } from "./_respond.ts";
import { idempotentRequests } from "./_idempotency.ts";
import { longPoll } from "./long_poll.ts";
import { streamRoutes } from "../sse/stream_route.ts";
import { StreamTickets } from "../sse/tickets.ts";
import { streamTicketRoutes } from "../sse/ticket_route.ts";
import { sessionEventRoutes } from "./session_events.ts";
import { sessionRoutes } from "./sessions.ts";
import { skillRoutes } from "./skills.ts";
import { statsRoutes } from "./stats.ts";

/** Builds the `/api` sub-application. */
export function apiRoutes(context: EdgeContext): Hono<ApiEnv> {
  const { hub, skills, gate, config } = context;
  const { allowedOrigins, maxFrameBytes } = config;
  const api = new Hono<ApiEnv>();
  api.use(
    "*",
    cors({
      origin: (origin, c) => isOriginAllowed(origin, c.req.url, allowedOrigins) ? origin : null,
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
      allowMethods: ["GET", "POST", "PUT", "DELETE"],
      maxAge: 600,
    }),
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
  api.on(["POST", "PUT", "PATCH"], "*", limitBody);
  // CORS only hides answers from other sites; a simple cross-site POST would still act.
  api.use("*", async function refuseForeignOrigins(c, next) {
    if (!isOriginAllowed(c.req.header("origin"), c.req.url, allowedOrigins)) {
      throw new SwitchboardError("FORBIDDEN", "Origin not allowed");
    }
    await next();
  });
  const tickets = new StreamTickets();
  api.use("*", authenticate(context, tickets));
  const checkSessionId: MiddlewareHandler<ApiEnv> = async function checkSessionId(c, next) {
    c.set("session", gate.sessionId(c.req.param("id")));
    await next();
  };
  api.use("/sessions/:id", checkSessionId);
  api.use("/sessions/:id/*", checkSessionId);
  // Writes draw on the subject's frame bucket, shared with its sockets; commands are charged
  // to the command bucket by the gate.
  api.on(["POST", "PUT", "DELETE"], "*", async function limitWrites(c, next) {
    if (!c.req.path.endsWith("/commands")) gate.admitFrame(c.var.caller);
    await next();
  });
  api.post("/sessions/:id/events", idempotentRequests(hub));
  api.get("/sessions/:id/events", longPoll(context));
  api.route("/sessions", sessionRoutes(context));
  api.route("/sessions", streamRoutes(context));
  api.route("/stream-tickets", streamTicketRoutes(tickets));
  api.route("/sessions", sessionEventRoutes(context));
  const hooks = new ClaudeCodeHooks({
    hub,
    gate,
    skills,
    approvalTimeoutMs: config.hookApprovalTimeoutMs,
    maxHeld: config.hookMaxHeld,
  });
  api.route("/hooks", claudeCodeHookRoutes(context, hooks));
  api.route("/sessions", approvalPolicyRoutes(hooks));
  api.route("/sessions", aguiRoutes(context));
  api.route("/skills", skillRoutes(skills));
  api.route("/stats", statsRoutes(hub));
  return api;
}
