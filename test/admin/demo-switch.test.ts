/**
 * `npm start` (sandbox/dev.ts) seeds the demo location on a first start with the sandbox, and
 * starts empty with ACCESSBRIDGE_DEMO=off (what the admin page's end-to-end test starts from).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnApiProcess, type ApiProcess } from '../helpers/api-process.ts';
import { apiJson } from '../tapkey/helpers.ts';

let running: ApiProcess | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'ab-demo-switch-'));
  dirs.push(dir);
  running = await spawnApiProcess({ ACCESSBRIDGE_DATA_DIR: dir, DATABASE_URL: '', ...env }, 90_000, 'sandbox/dev.ts');
  return running;
}

describe('demo seeding on first start', () => {
  it('is on by default: the demo location is there like any other', async () => {
    const api = await start({});
    const { body } = await apiJson(api.url, api.token!, 'GET', '/v1/locations');
    expect(body.items.map((l: { name: string }) => l.name)).toEqual(['Demo self-storage (sandbox)']);
  }, 120_000);

  it('ACCESSBRIDGE_DEMO=off starts with no location, and says where to set one up', async () => {
    const api = await start({ ACCESSBRIDGE_DEMO: 'off' });
    const { body } = await apiJson(api.url, api.token!, 'GET', '/v1/locations');
    expect(body.items).toEqual([]);
    expect(api.output()).toContain('AccessBridge admin page');
  }, 120_000);
});
