/**
 * `/openapi.json` (OpenAPI 3.1, generated from the same zod schemas the routes validate with)
 * and `/docs`, a self-contained HTML reference rendered from that document on the server: no
 * CDN, no script, every string escaped.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { API_VERSION } from './health.ts';

type Doc = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Schema = Record<string, any>;

export function openApiDocument(app: OpenAPIHono<AppEnv>, deps: AppDeps): Doc {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'AccessBridge sync API',
      version: deps.version ?? API_VERSION,
      description:
        'Connects a self-storage manager to Tapkey locks and Keycafe key boxes. Every `/v1` route needs ' +
        '`Authorization: Bearer <API token>` and only sees the token\'s organization. Every error answers ' +
        '`{"error":{"code","message"},"fieldErrors":[{"path","message"}]}`.',
    },
    security: [{ bearerAuth: [] }],
  });
}

/** Both endpoints build the document once, on first request, after every router is mounted. */
export function docsRouter(build: () => Doc) {
  let doc: Doc | undefined;
  let html: string | undefined;
  const get = () => (doc ??= build());
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.json(get()))
    .get('/docs', (c) => {
      html ??= renderDocs(get());
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return c.html(html);
    });
}

const escapeHtml = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** `code` spans for backticks in descriptions; everything else stays plain escaped text. */
const prose = (s: unknown) => escapeHtml(s ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');

const refName = (ref: string) => ref.split('/').pop()!;
const anchor = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A one-line type label: `string (uuid)`, `Lock[]`, `"a" | "b"`, `string | null`. */
function typeLabel(schema: Schema | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) return `<a href="#schema-${anchor(refName(schema.$ref))}">${escapeHtml(refName(schema.$ref))}</a>`;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return (variants as Schema[]).map(typeLabel).join(' | ');
  if (schema.enum) return (schema.enum as unknown[]).map((v) => escapeHtml(JSON.stringify(v))).join(' | ');
  if (schema.const !== undefined) return escapeHtml(JSON.stringify(schema.const));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? (schema.properties ? 'object' : 'any')];
  return types
    .map((t: string) => {
      if (t === 'array') return `${typeLabel(schema.items)}[]`;
      const format = schema.format ? ` (${escapeHtml(schema.format)})` : '';
      return escapeHtml(t) + format;
    })
    .join(' | ');
}

function constraints(schema: Schema): string {
  const parts: string[] = [];
  for (const [key, label] of [
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minimum', 'min'],
    ['maximum', 'max'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
    ['pattern', 'pattern'],
    ['default', 'default'],
  ] as const)
    if (schema[key] !== undefined) parts.push(`${label}: <code>${escapeHtml(typeof schema[key] === 'string' && key !== 'pattern' ? JSON.stringify(schema[key]) : schema[key])}</code>`);
  return parts.join(', ');
}

/** An object's fields as a nested list, following inline objects (refs become links). */
function fields(schema: Schema | undefined, depth = 0): string {
  if (!schema || schema.$ref || depth > 4) return '';
  const target = schema.type === 'array' ? schema.items : schema;
  if (!target?.properties) {
    const variants = (target?.anyOf ?? target?.oneOf) as Schema[] | undefined;
    if (variants) return variants.map((v) => fields(v, depth + 1)).filter(Boolean).map((f) => `<div class="variant">one of:${f}</div>`).join('');
    return '';
  }
  const required = new Set<string>(target.required ?? []);
  const rows = Object.entries(target.properties as Record<string, Schema>).map(([name, prop]) => {
    const extra = constraints(prop);
    return (
      `<li><code class="field">${escapeHtml(name)}</code> <span class="type">${typeLabel(prop)}</span>` +
      (required.has(name) ? ' <span class="req">required</span>' : '') +
      (prop.description ? ` — ${prose(prop.description)}` : '') +
      (extra ? ` <span class="constraints">${extra}</span>` : '') +
      fields(prop, depth + 1) +
      '</li>'
    );
  });
  return `<ul class="fields">${rows.join('')}</ul>`;
}

function schemaBlock(schema: Schema | undefined): string {
  if (!schema) return '';
  return `<div class="schema"><span class="type">${typeLabel(schema)}</span>${fields(schema)}</div>`;
}

interface Operation {
  method: string;
  path: string;
  op: Schema;
}

function renderOperation({ method, path, op }: Operation, doc: Doc): string {
  const id = anchor(`${method}-${path}`);
  const secured = (op.security ?? doc.security ?? []).length > 0;
  const params = (op.parameters ?? []) as Schema[];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${typeLabel(p.schema)}</td>` +
        `<td>${p.required ? 'yes' : 'no'}</td><td>${[prose(p.description ?? p.schema?.description ?? ''), p.schema ? constraints(p.schema) : ''].filter(Boolean).join('<br>')}</td></tr>`,
    )
    .join('');
  const body = op.requestBody?.content?.['application/json']?.schema as Schema | undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Schema>)
    .map(
      ([status, r]) =>
        `<tr><td><code>${escapeHtml(status)}</code></td><td>${prose(r.description)}</td><td>${schemaBlock(r.content?.['application/json']?.schema)}</td></tr>`,
    )
    .join('');
  return (
    `<section class="op" id="${id}"><h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>` +
    (op.summary ? `<p class="summary">${prose(op.summary)}</p>` : '') +
    (op.description ? `<p>${prose(op.description)}</p>` : '') +
    `<p class="auth">${secured ? 'Needs <code>Authorization: Bearer &lt;API token&gt;</code>.' : 'No authentication.'}</p>` +
    (paramRows ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Notes</th></tr>${paramRows}</table>` : '') +
    (body ? `<h4>Request body (JSON)</h4>${schemaBlock(body)}${body.$ref ? fields(doc.components?.schemas?.[refName(body.$ref)] as Schema | undefined) : ''}` : '') +
    `<h4>Responses</h4><table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>${responses}</table></section>`
  );
}

const css = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1c2430;background:#fafbfc}
main{max-width:960px;margin:0 auto;padding:1.5rem}nav{columns:2;font-size:14px}nav a{display:block}
h1{margin-top:0}h2{border-bottom:2px solid #d8dee6;padding-bottom:.25rem;margin-top:2.5rem}
.op{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.op h3{margin:.25rem 0;font-size:16px}.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:1px 6px;background:#56606c}
.get{background:#2f6fb3}.post{background:#2d8a4e}.put{background:#a0651c}.patch{background:#7a52a8}.delete{background:#b23b3b}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border:1px solid #e1e6ec;padding:4px 8px;text-align:left;vertical-align:top}
code{background:#eef1f5;padding:0 3px;border-radius:3px;font-size:13px}.type{color:#5a3d99}.req{color:#b23b3b;font-size:12px}
.constraints{color:#5f6b7a;font-size:12px}ul.fields{margin:.25rem 0;padding-left:1.2rem}.summary{font-weight:600}.variant{margin-left:.5rem}`;

export function renderDocs(doc: Doc): string {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const method of ['get', 'put', 'post', 'patch', 'delete'])
      if ((item as Schema)[method]) ops.push({ method, path, op: (item as Schema)[method] });
  const byTag = new Map<string, Operation[]>();
  for (const o of ops) {
    const tag = (o.op.tags?.[0] as string | undefined) ?? 'Other';
    byTag.set(tag, [...(byTag.get(tag) ?? []), o]);
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>).sort(([a], [b]) => a.localeCompare(b));
  const toc = [...byTag.entries()]
    .map(([tag, list]) => `<strong>${escapeHtml(tag)}</strong>${list.map((o) => `<a href="#${anchor(`${o.method}-${o.path}`)}">${escapeHtml(o.method.toUpperCase())} ${escapeHtml(o.path)}</a>`).join('')}`)
    .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(doc.info.title)} reference</title><style>${css}</style></head><body><main>` +
    `<h1>${escapeHtml(doc.info.title)} <small>v${escapeHtml(doc.info.version)}</small></h1>` +
    `<p>${prose(doc.info.description ?? '')}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>` +
    `<nav aria-label="Routes">${toc}</nav>` +
    [...byTag.entries()].map(([tag, list]) => `<h2 id="tag-${anchor(tag)}">${escapeHtml(tag)}</h2>${list.map((o) => renderOperation(o, doc)).join('')}`).join('') +
    `<h2 id="schemas">Schemas</h2>` +
    schemas.map(([name, s]) => `<section class="op" id="schema-${anchor(name)}"><h3><code>${escapeHtml(name)}</code></h3>${schemaBlock({ ...s, $ref: undefined })}</section>`).join('') +
    `</main></body></html>`
  );
}
