/**
 * @module `GET /metrics`: Prometheus exposition text. With authentication on it needs an admin
 * token, like the admin API, unless `--metrics-public` says scrapers may read it freely.
 */
import { Hono } from "hono";
import type { EdgeContext } from "../app.ts";
import type { Metrics } from "../observe/metrics.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { type ApiEnv, authenticate } from "./_auth.ts";

/** Routes for `/metrics`. */
export function metricsRoutes(context: EdgeContext, metrics: Metrics): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  if (!context.config.metricsPublic) {
    routes.use("*", authenticate(context));
    routes.use("*", async function requireAdmin(c, next) {
      if (c.var.actor.principal.role !== "admin") {
        throw new SwitchboardError("FORBIDDEN", "Metrics need an admin token");
      }
      await next();
    });
  }
  return routes.get("/", async (c) => {
    const text = await metrics.text();
    return c.body(text, 200, { "Content-Type": metrics.contentType });
  });
}
