/**
 * The whole-site mapping proposal: the engine alone (lib/mapping-proposal.ts) on generated
 * sites of 500 and 5,000 units per naming scheme (test/lib/proposal-sites.ts, the sites the
 * accuracy tests use), and `GET /v1/locations/{id}/mapping-proposal` over real HTTP (PGlite),
 * which adds reading the units and locks and sending the answer. Medians of a few runs.
 *
 *   npx tsx bench/mapping-proposal.ts [--runs 3]
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { proposalRows, proposeMapping } from '../lib/mapping-proposal.ts';
import { createApp } from '../server/app.ts';
import { createApiToken, createOrganization } from '../server/auth.ts';
import { openDatabase } from '../server/db/client.ts';
import { locations, locks, units } from '../server/db/schema/index.ts';
import { generateSite } from '../test/lib/proposal-sites.ts';
import { median } from './stats.ts';

export interface ProposalBenchFigures {
  runs: number;
  /** Per scheme and size: engine milliseconds (median) and the share of units proposed with high confidence. */
  engine: { scheme: string; units: number; locks: number; ms: number; high: number }[];
  /** `GET …/mapping-proposal` end to end, per size (scheme "mixed styles"). */
  api: { units: number; ms: number; bytes: number }[];
}

const SCHEMES = ['mixed styles', 'building prefix', 'two buildings'];

export async function runProposalBench({ sizes = [500, 5000], runs = 3 }: { sizes?: number[]; runs?: number } = {}): Promise<ProposalBenchFigures> {
  const engine: ProposalBenchFigures['engine'] = [];
  for (const n of sizes)
    for (const scheme of SCHEMES) {
      const site = generateSite(scheme, n);
      const times: number[] = [];
      let high = 0;
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const p = proposeMapping({ locationId: 'bench', units: site.units, locks: site.locks });
        times.push(performance.now() - t0);
        high = proposalRows(p).filter((x) => x.confidence === 'high').length;
      }
      engine.push({ scheme, units: n, locks: site.locks.length, ms: Math.round(median(times)), high });
    }

  const api: ProposalBenchFigures['api'] = [];
  for (const n of sizes) {
    const database = await openDatabase({ dataDir: 'memory://' });
    const org = await createOrganization(database.db, `Bench ${randomBytes(3).toString('hex')}`);
    const { token } = await createApiToken(database.db, org.id, 'bench');
    const [location] = await database.db.insert(locations).values({ organizationId: org.id, name: 'Bench site' }).returning();
    const site = generateSite('mixed styles', n);
    for (let i = 0; i < site.units.length; i += 1000)
      await database.db.insert(units).values(site.units.slice(i, i + 1000).map((u) => ({ organizationId: org.id, externalId: u.externalId, name: u.name, locationId: location!.id })));
    for (let i = 0; i < site.locks.length; i += 1000)
      await database.db.insert(locks).values(site.locks.slice(i, i + 1000).map((l) => ({ organizationId: org.id, id: l.id, title: l.title, source: 'tapkey' as const, locationId: location!.id })));
    const app = createApp({ database, secretKey: randomBytes(32), version: 'bench' });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/locations/${location!.id}/mapping-proposal`;
      const times: number[] = [];
      let bytes = 0;
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`proposal answered ${res.status}`);
        times.push(performance.now() - t0);
        bytes = body.byteLength;
      }
      api.push({ units: n, ms: Math.round(median(times)), bytes });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    }
  }
  return { runs, engine, api };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  console.log(JSON.stringify(await runProposalBench({ runs: Number(values.runs) }), null, 2));
  process.exit(0);
}
