// GET /docs: the OpenAPI document rendered on the server as one self-contained page (no script, no CDN).
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Json = Record<string, unknown>;

/** The page's only style, inline; the Content Security Policy admits exactly this text by its hash. */
const STYLE = `body{font-family:system-ui,sans-serif;max-width:64rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}section.op{border:1px solid #ddd;border-radius:4px;padding:0 1rem;margin:1rem 0}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f4f4f4;padding:.5rem;overflow-x:auto;max-height:28rem}
.m{display:inline-block;min-width:4rem;font-weight:bold;text-transform:uppercase}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}a:focus,summary:focus{outline:3px solid #1a5fb4}`;

/** The Content Security Policy of /docs: nothing but the inline style above. */
export const DOCS_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const text = (value: unknown) => (typeof value === 'string' ? value : '');

function schemaBlock(
  label: string,
  schema: unknown,
  example: unknown,
): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<details>
      <summary>${label} schema</summary>
      <pre>${pretty(schema)}</pre>
    </details>
    ${
      example === undefined
        ? ''
        : html`<p>Example:</p>
            <pre>${pretty(example)}</pre>`
    }`;
}

function operation(path: string, method: string, op: Json) {
  const parameters = (op.parameters ?? []) as Json[];
  const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const json = body?.['application/json'];
  const responses = (op.responses ?? {}) as Record<string, Json>;
  const security = ((op.security ?? []) as Record<string, unknown>[])
    .map((s) => Object.keys(s).join(' + '))
    .join(' or ');
  const id = String(op.operationId);
  return html`<section class="op" id="${id}" aria-labelledby="${id}-h">
    <h3 id="${id}-h"><span class="m">${method}</span> <code>${path}</code></h3>
    <p><strong>${String(op.summary)}</strong></p>
    ${text(op.description)
      .split('\n\n')
      .map((p) => html`<p>${p}</p>`)}
    <p>Security: ${security}</p>
    ${
      parameters.length === 0
        ? ''
        : html`<table>
            <caption>
              Parameters
            </caption>
            <thead>
              <tr>
                <th scope="col">name</th>
                <th scope="col">in</th>
                <th scope="col">required</th>
                <th scope="col">schema</th>
              </tr>
            </thead>
            <tbody>
              ${parameters.map(
                (p) =>
                  html`<tr>
                    <td><code>${String(p.name)}</code></td>
                    <td>${String(p.in)}</td>
                    <td>${p.required === true ? 'yes' : 'no'}</td>
                    <td><code>${JSON.stringify(p.schema)}</code></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${json === undefined ? '' : schemaBlock('Request body (application/json)', json.schema, json.example)}
    <table>
      <caption>
        Responses
      </caption>
      <thead>
        <tr>
          <th scope="col">status</th>
          <th scope="col">meaning</th>
          <th scope="col">body</th>
        </tr>
      </thead>
      <tbody>
        ${Object.entries(responses).map(([status, r]) => {
          const content = (r.content ?? {}) as Record<string, Json>;
          const [type, media] = Object.entries(content)[0] ?? [];
          return html`<tr>
            <td>${status}</td>
            <td>${String(r.description)}</td>
            <td>
              ${
                type === undefined
                  ? ''
                  : html`<code>${type}</code>${
                        media?.schema === undefined ? '' : schemaBlock('', media.schema, media.example)
                      }`
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

/**
 * Renders the whole document: the operations grouped by tag, then the shared schemas and the
 * security schemes. Every value is escaped by hono/html; the only style is inline and hashed in DOCS_CSP.
 */
export function renderDocsPage(doc: Json): HtmlEscapedString | Promise<HtmlEscapedString> {
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const components = doc.components as {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, Json>;
  };
  const byTag = new Map<string, { path: string; method: string; op: Json }[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op }]);
    }
  }
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${String(info.title)} ${String(info.version)}</title>
        ${raw(`<style>${STYLE}</style>`)}
      </head>
      <body>
        <header>
          <h1>${String(info.title)} <small>${String(info.version)}</small></h1>
          <p>${String(info.description)}</p>
          <p>
            The machine-readable document is at
            <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${String(doc.openapi)}).
          </p>
        </header>
        <nav aria-label="Operations">
          <ul>
            ${[...byTag.entries()].map(
              ([tag, ops]) =>
                html`<li>
                  ${tag}:
                  ${ops.map(
                    (o) =>
                      html`<a href="#${String(o.op.operationId)}">${o.method.toUpperCase()} ${o.path}</a> `,
                  )}
                </li>`,
            )}
          </ul>
        </nav>
        <main id="main">
          ${[...byTag.entries()].map(
            ([tag, ops]) =>
              html`<h2>${tag}</h2>
                ${ops.map((o) => operation(o.path, o.method, o.op))}`,
          )}
          <h2>Security schemes</h2>
          <dl>
            ${Object.entries(components.securitySchemes).map(
              ([name, s]) =>
                html`<dt><code>${name}</code> (${String(s.type)})</dt>
                  <dd>${text(s.description)}</dd>`,
            )}
          </dl>
          <h2>Schemas</h2>
          ${Object.entries(components.schemas).map(
            ([name, schema]) =>
              html`<h3 id="schema-${name}">${name}</h3>
                <pre>${pretty(schema)}</pre>`,
          )}
        </main>
      </body>
    </html>`;
}
