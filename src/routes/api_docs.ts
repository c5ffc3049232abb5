/**
 * @module `GET /openapi.json` and `GET /docs`: the API described from the zod schemas, and that
 * description rendered as a page. Built once per app; never behind authentication.
 */
import { Hono } from "hono";
import type { Config } from "../config/mod.ts";
import { renderApiPage } from "../docs/api_page.ts";
import { openApiDocument } from "../docs/openapi.ts";

/** Routes for the API description, mounted at the root. */
export function apiDocsRoutes(config: Config): Hono {
  const document = openApiDocument(config);
  const page = renderApiPage(document);
  return new Hono()
    .get("/openapi.json", (c) => c.json(document))
    .get("/docs", (c) => c.html(page));
}
