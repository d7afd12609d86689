/** The sandbox page that embeds the widget: setup, per-view token minting, the embed lines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWidgetDemo, type WidgetDemo } from '../../sandbox/widget-demo/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
let demo: WidgetDemo;

beforeAll(async () => {
  api = await startTestApi();
  expect((await api.json('PUT', '/v1/units/U-7', { name: 'B-07' })).status).toBe(201);
  demo = await startWidgetDemo();
});
afterAll(async () => {
  await demo?.close();
  await api?.close();
});

const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' as const });

describe('widget demo page', () => {
  it('asks for the API first and refuses a token that does not work', async () => {
    const first = await (await fetch(demo.url)).text();
    expect(first).toContain('<label for="token">API token</label>');
    const bad = await fetch(`${demo.url}/setup`, form({ apiUrl: api.url, apiToken: 'ab_wrong' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('That API URL and token do not work: Invalid or revoked API token');
    const good = await fetch(`${demo.url}/setup`, form({ apiUrl: `${api.url}/`, apiToken: api.token }));
    expect(good.status).toBe(303);
  });

  it('embeds the widget with a token minted for its own origin, never the API token', async () => {
    const html = await (await fetch(demo.url)).text();
    expect(html).toContain(`<script src="${api.url}/widget.js" async></script>`);
    expect(html).not.toContain(api.token);
    const token = html.match(/token="(abw_[^"]+)"/)![1]!;
    expect(html).toContain(`view="map-lock" unit="U-7"`);
    // The documented lines, with the token left out.
    expect(html).toContain('&lt;accessbridge-widget api=&quot;');
    expect(html).toContain('token=&quot;&lt;widget token&gt;&quot;');

    const origin = demo.url;
    const session = await api.json('GET', '/widget/v1/session', undefined, { token, headers: { origin } });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ origin, actions: ['keycafe:book', 'keycafe:read', 'mapping:read', 'mapping:write'] });
    expect((await api.json('GET', '/widget/v1/session', undefined, { token, headers: { origin: 'http://localhost:1' } })).status).toBe(403);
  });
});
