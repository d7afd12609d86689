/**
 * A demo page that embeds <accessbridge-widget> the way a page owner would: its server holds
 * an AccessBridge API token (never sent to the browser), mints a short-lived widget token for
 * the page's own origin on every page view, and writes the two embed lines into the page.
 * Its stylesheet is deliberately hostile (every button restyled), to show the widget's shadow
 * root keeps its own look. Without a configured API it shows a setup form.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { serveFake } from '../shared/serve.ts';

export interface WidgetDemoOptions {
  host?: string;
  port?: number;
  /** The sync API and a token of the organization to embed; else asked for on the page. */
  apiUrl?: string;
  apiToken?: string;
}

export interface WidgetDemo {
  url: string;
  configure(apiUrl: string, apiToken: string): void;
  close(): Promise<void>;
}

const WIDGET_ACTIONS = ['keycafe:book', 'keycafe:read', 'mapping:read', 'mapping:write'];
/** A page view's token lives as long as a visit plausibly does. */
const TOKEN_TTL_SECONDS = 30 * 60;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const hostileCss = `
  body { font: 16px/1.5 Georgia, serif; margin: 0; background: #fbf7ef; color: #3b2f1e; }
  main { max-width: 860px; margin: 0 auto; padding: 24px; }
  /* The page's own look, applied to everything it can reach. */
  button, input, select { all: unset; background: #8a1c1c !important; color: #ffe !important; font: 700 20px Impact, sans-serif !important; padding: 10px !important; }
  p { text-transform: uppercase; }
  pre { background: #231d12; color: #e8dcc0; padding: 12px; overflow: auto; font-size: 13px; }
  section { border: 2px dashed #c9b58a; padding: 12px 16px; margin: 16px 0; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${hostileCss}</style></head>
<body><main>${body}</main></body>
</html>`;
}

const setupForm = (apiUrl: string, error: string | null) =>
  page(
    'AccessBridge widget demo – setup',
    `<h1>AccessBridge widget demo</h1>
<p>This page plays a page owner's server: it keeps an API token and mints a widget token for each page view.</p>
${error ? `<div role="alert"><strong>${esc(error)}</strong></div>` : ''}
<form method="post" action="/setup">
  <div><label for="api">API URL</label> <input id="api" name="apiUrl" value="${esc(apiUrl)}" required></div>
  <div><label for="token">API token</label> <input id="token" name="apiToken" type="password" required></div>
  <div><button type="submit">Use this API</button></div>
</form>`,
  );

const keyList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
const unitList = z.object({ items: z.array(z.object({ externalId: z.string(), name: z.string() })) });
const minted = z.object({ token: z.string(), expiresAt: z.string() });
const errorBody = z.object({ error: z.object({ message: z.string() }) });

export async function startWidgetDemo(opts: WidgetDemoOptions = {}): Promise<WidgetDemo> {
  const config = { apiUrl: opts.apiUrl?.replace(/\/+$/, '') ?? '', apiToken: opts.apiToken ?? '' };

  async function api<T extends z.ZodType>(schema: T, method: string, path: string, body?: unknown): Promise<z.infer<T>> {
    const res = await fetch(config.apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${config.apiToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(errorBody.safeParse(json).data?.error.message ?? `HTTP ${res.status} from ${path}`);
    return schema.parse(json);
  }

  const app = new Hono();
  app.get('/', async (c) => {
    if (!config.apiUrl || !config.apiToken) return c.html(setupForm(config.apiUrl || 'http://127.0.0.1:8787', null));
    // The origin the browser uses for this page (127.0.0.1 and localhost are different origins).
    const origin = `http://${c.req.header('host')}`;
    let token;
    let keys;
    let units;
    try {
      [token, keys, units] = await Promise.all([
        api(minted, 'POST', '/v1/widget-tokens', { origins: [origin], actions: WIDGET_ACTIONS, ttlSeconds: TOKEN_TTL_SECONDS }),
        api(keyList, 'GET', '/v1/keycafe/keys?limit=5').catch(() => ({ items: [] })),
        api(unitList, 'GET', '/v1/units?limit=5').catch(() => ({ items: [] })),
      ]);
    } catch (error) {
      return c.html(setupForm(config.apiUrl, `Could not mint a widget token: ${error instanceof Error ? error.message : String(error)}`), 502);
    }
    const key = c.req.query('key') ?? keys.items[0]?.id ?? '';
    const unit = c.req.query('unit') ?? units.items[0]?.externalId ?? '';
    const scriptLine = `<script src="${esc(config.apiUrl)}/widget.js" async></script>`;
    const elementLine = `<accessbridge-widget api="${esc(config.apiUrl)}" token="${esc(token.token)}" view="keycafe-booking" key="${esc(key)}"></accessbridge-widget>`;
    const mapLine = `<accessbridge-widget api="${esc(config.apiUrl)}" token="${esc(token.token)}" view="map-lock" unit="${esc(unit)}"></accessbridge-widget>`;
    return c.html(
      page(
        'AccessBridge widget demo',
        `<h1>Storage front desk (widget demo)</h1>
<p>No extension needed: the two lines below are all this page adds. The widget token was minted for ${esc(origin)} and expires at ${esc(token.expiresAt)}.</p>
<pre>${esc(`${scriptLine}\n${elementLine.replace(token.token, '<widget token>')}`)}</pre>
<section aria-label="Keycafe booking"><h2>Give a visitor a key</h2>${elementLine}</section>
<section aria-label="Lock mapping"><h2>Unit ${esc(unit)}: Tapkey lock</h2>${unit ? mapLine : '<p>No units yet.</p>'}</section>
${scriptLine}`,
      ),
    );
  });
  app.post('/setup', async (c) => {
    const form = await c.req.parseBody();
    const apiUrl = String(form.apiUrl ?? '').trim().replace(/\/+$/, '');
    const apiToken = String(form.apiToken ?? '').trim();
    const previous = { ...config };
    Object.assign(config, { apiUrl, apiToken });
    try {
      await api(z.object({ organization: z.object({ name: z.string() }) }), 'GET', '/v1/me');
    } catch (error) {
      Object.assign(config, previous);
      return c.html(setupForm(apiUrl, `That API URL and token do not work: ${error instanceof Error ? error.message : String(error)}`), 400);
    }
    return c.redirect('/', 303);
  });

  const served = await serveFake(app, opts);
  return {
    url: served.url,
    configure(apiUrl, apiToken) {
      Object.assign(config, { apiUrl: apiUrl.replace(/\/+$/, ''), apiToken });
    },
    close: served.close,
  };
}
