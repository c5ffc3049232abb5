/**
 * @module The `/docs` page: the OpenAPI document rendered as one self-contained HTML page (no
 * scripts, no CDN), so the reference is served by the server itself and can never disagree with
 * `/openapi.json`.
 */
import type { JsonSchema } from "./json_schema.ts";

type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  parameters?: { name: string; in: string; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string }>;
  security: unknown[];
};

const STYLE =
  `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
section{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
.get{color:#0969da}.post{color:#1a7f37}.put{color:#9a6700}.delete{color:#cf222e}
code,pre{font:13px ui-monospace,monospace;background:#f6f8fa;border-radius:4px}
pre{padding:.6rem;overflow:auto;max-height:24rem}table{border-collapse:collapse}
td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
.lock{color:#6e7781;font-size:.85em}`;

/** Renders `document` (OpenAPI 3.1) as an HTML page. */
export function renderApiPage(document: JsonSchema): string {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const schemas = (document.components as { schemas: Record<string, JsonSchema> }).schemas;
  const byTag = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const html = renderOperation(method, path, op);
      byTag.set(op.tags[0], [...byTag.get(op.tags[0]) ?? [], html]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2>${escape(tag)}</h2>\n${ops.join("\n")}`);
  const components = Object.entries(schemas).map(([name, schema]) =>
    `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${schemaBlock(schema)}</section>`
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(info.title)} API ${escape(info.version)}</title><style>${STYLE}</style></head>
<body><h1>${escape(info.title)} API <small>${escape(info.version)}</small></h1>
<p>${inline(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join("\n")}
<h2>Schemas</h2>
${components.join("\n")}
</body></html>
`;
}

function renderOperation(method: string, path: string, op: Operation): string {
  const lock = op.security.length > 0 ? ' <span class="lock">bearer token</span>' : "";
  const parts = [
    `<section><h3><span class="m ${method}">${method}</span> <code>${
      escape(path)
    }</code>${lock}</h3>`,
    `<p>${inline(op.summary)}</p>`,
  ];
  if (op.description) parts.push(`<p>${inline(op.description)}</p>`);
  if (op.parameters?.length) {
    const rows = op.parameters.map((p) =>
      `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${
        p.required ? "yes" : "no"
      }</td><td><code>${escape(JSON.stringify(p.schema))}</code></td></tr>`
    );
    parts.push(
      `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Schema</th></tr>${
        rows.join("")
      }</table>`,
    );
  }
  const body = op.requestBody?.content["application/json"]?.schema;
  if (body) parts.push(`<p>Request body (JSON):</p>${schemaBlock(body)}`);
  const responses = Object.entries(op.responses).map(([status, r]) =>
    `<li><b>${escape(status)}</b>: ${inline(r.description)}</li>`
  );
  parts.push(`<ul>${responses.join("")}</ul></section>`);
  return parts.join("\n");
}

/** A schema as indented JSON, its `$ref`s turned into links to the schema's section. */
function schemaBlock(schema: JsonSchema): string {
  const text = escape(JSON.stringify(schema, null, 2));
  return `<pre>${
    text.replace(
      /&quot;#\/components\/schemas\/([^&]+)&quot;/g,
      (_, name) => `&quot;<a href="#schema-${name}">#/components/schemas/${name}</a>&quot;`,
    )
  }</pre>`;
}

/** Escapes text, then renders Markdown's inline code spans. */
function inline(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/&#34;/g, "&quot;");
}
