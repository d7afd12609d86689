/**
 * A large mapping file apply must not hold up other organizations, and must stay all or
 * nothing. On PGlite there is one connection in the server's thread: an import that reads,
 * judges and writes inside one transaction makes every other request wait until it commits.
 * The apply reads and judges outside any transaction, yields between its steps, and writes in
 * one short transaction (server/bulk/mapping-import.ts).
 *
 * The order is observed on the database's statements, not on timings: the moment the apply
 * first reads organization A's units, a request of organization B is sent; B must be answered
 * before A's mappings are committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Database } from '../../server/db/client.ts';
import { csvText, currentMappings, HEADER, seed, upload } from '../bulk/fixtures.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

const ROWS = 3_000;
const lockId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const name = (i: number) => `Unit ${String(i).padStart(5, '0')}`;

interface Watch {
  /** Called before each statement with its text and parameters. */
  onStatement?: (text: string, params: unknown[]) => void;
  /** Set once a transaction that inserted mappings has committed. */
  mappingsCommitted: boolean;
}

/**
 * Watches the statements the app sends, on PGlite (its client and transactions) and on
 * PostgreSQL (the pool and its checked-out clients).
 */
function watch(database: Database): Watch {
  const w: Watch = { mappingsCommitted: false };
  const client = (database.db as unknown as { session: { client: any } }).session.client;
  const isMappingInsert = (text: string) => /insert into "?mappings"?/i.test(text);
  const textOf = (q: unknown) => (typeof q === 'string' ? q : ((q as { text?: string })?.text ?? ''));
  if (database.kind === 'pglite') {
    const query = client.query.bind(client);
    client.query = (q: string, params: unknown[] = [], ...rest: unknown[]) => {
      w.onStatement?.(q, params);
      return query(q, params, ...rest);
    };
    const transaction = client.transaction.bind(client);
    client.transaction = async (fn: (tx: any) => Promise<unknown>) => {
      let inserts = false;
      const result = await transaction((tx: any) => {
        const txQuery = tx.query.bind(tx);
        tx.query = (q: string, params: unknown[] = [], ...rest: unknown[]) => {
          w.onStatement?.(q, params);
          inserts ||= isMappingInsert(q);
          return txQuery(q, params, ...rest);
        };
        return fn(tx);
      });
      if (inserts) w.mappingsCommitted = true;
      return result;
    };
  } else {
    const poolQuery = client.query.bind(client);
    client.query = (q: unknown, params?: unknown, ...rest: unknown[]) => {
      w.onStatement?.(textOf(q), Array.isArray(params) ? params : []);
      return poolQuery(q, params, ...rest);
    };
    const connect = client.connect.bind(client);
    client.connect = async (...args: unknown[]) => {
      const c = await connect(...args);
      if (!c || c.__watched) return c;
      c.__watched = true;
      const query = c.query.bind(c);
      let inserts = false;
      c.query = async (q: unknown, params?: unknown, ...rest: unknown[]) => {
        const text = textOf(q);
        w.onStatement?.(text, Array.isArray(params) ? params : []);
        if (/^\s*begin/i.test(text)) inserts = false;
        inserts ||= isMappingInsert(text);
        const result = await query(q, params, ...rest);
        if (/^\s*commit/i.test(text) && inserts) w.mappingsCommitted = true;
        return result;
      };
      return c;
    };
  }
  return w;
}

let api: TestApi;
let w: Watch;
let other: { orgId: string; token: string };
const file = csvText([HEADER, ...Array.from({ length: ROWS }, (_, i) => [lockId(i), name(i)])]);

beforeAll(async () => {
  api = await startTestApi();
  other = await api.newOrg('Other storage');
  const units = Array.from({ length: ROWS }, (_, i) => ({ externalId: `U${i}`, name: name(i) }));
  await seed(api, { units, locks: units.map((_, i) => ({ id: lockId(i), title: `Door ${i}` })) });
  await seed(api, { units: [{ externalId: 'B1', name: 'B unit' }] }, other.orgId);
  w = watch(api.database);
}, 120_000);
afterAll(() => api?.close());

describe(`applying a ${ROWS.toLocaleString('en')}-row mapping file`, () => {
  it('fails in its last row: nothing is applied', async () => {
    // A failure raised by the database while the last row's mapping is written.
    await api.database.exec(`
      create function fail_last_mapping() returns trigger language plpgsql as $$
      begin
        if new.lock_id = '${lockId(ROWS - 1)}' then raise exception 'injected failure in the last row'; end if;
        return new;
      end $$;
      create trigger fail_last_mapping before insert on mappings for each row execute function fail_last_mapping();`);
    try {
      const r = await upload(api, file, { dryRun: false });
      expect(r.status).toBe(500);
    } finally {
      await api.database.exec('drop trigger fail_last_mapping on mappings; drop function fail_last_mapping();');
    }
    expect(await currentMappings(api)).toEqual([]);
    const audit = await api.json<{ items: { action: string }[] }>('GET', '/v1/audit-events?limit=100');
    expect(audit.body.items.filter((e) => e.action.startsWith('mapping'))).toEqual([]);
  }, 120_000);

  it("answers another organization's request before the apply commits, and applies every row", async () => {
    // B goes to the app in-process: its order against A's statements is then the database's
    // and the apply's doing, not the sockets'.
    const app = createApp(api.deps);
    let b: Promise<{ status: number; mappingsCommitted: boolean }> | null = null;
    w.onStatement = (text, params) => {
      if (b || !/"?units"?/.test(text) || !params.includes(api.orgId)) return;
      b = Promise.resolve(app.request('/v1/units?limit=5', { headers: { authorization: `Bearer ${other.token}` } })).then(async (res) => {
        // Read before awaiting the body: the moment B is answered.
        const mappingsCommitted = w.mappingsCommitted;
        await res.arrayBuffer();
        return { status: res.status, mappingsCommitted };
      });
    };
    try {
      const a = await upload(api, file, { dryRun: false });
      expect(a.status).toBe(200);
      expect(a.body.totals).toMatchObject({ rows: ROWS, create: ROWS, error: 0 });
      expect(b).not.toBeNull();
      const answer = await b!;
      expect(answer.status).toBe(200);
      expect(answer.mappingsCommitted).toBe(false);
    } finally {
      w.onStatement = undefined;
    }
    expect(await currentMappings(api)).toHaveLength(ROWS);
  }, 120_000);
});
