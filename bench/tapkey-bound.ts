/**
 * The provider's bound for a Tapkey full sync: how long the sandbox Tapkey itself takes to
 * serve the calls a sync of N bookings needs, made directly with the connector's client and no
 * AccessBridge around it (no database, no outbox). Per booking: the check-before-create grant
 * list of its lock, then the grant creation — the calls the full sync makes
 * (bench/tapkey-full-sync.ts reports ≈ N lists + N creates), at the outbox's concurrency.
 *
 * Tapkey documents no rate limit, so this measured service time is the
 * bound the sync is compared with: sync time / bound = AccessBridge's overhead factor.
 *
 *   npx tsx bench/tapkey-bound.ts [--bookings 10000] [--concurrency 8]   (default: the outbox's)
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoLocks, demoUnits } from '../sandbox/demo-data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox } from '../sandbox/tapkey-api/index.ts';
import { DEFAULT_OUTBOX_CONCURRENCY } from '../server/outbox/outbox.ts';
import { clearTapkeyTokenCache, TapkeyClient } from '../server/tapkey/client.ts';

export interface TapkeyBoundFigures {
  bookings: number;
  concurrency: number;
  seconds: number;
  /** CPU time of this process (client and fake) while serving: steadier than wall time on a shared host. */
  cpuSeconds: number;
  calls: number;
  callsByEndpoint: Record<string, number>;
}

export async function runTapkeyBound({ bookings = 10_000, concurrency = DEFAULT_OUTBOX_CONCURRENCY } = {}): Promise<TapkeyBoundFigures> {
  clearTapkeyTokenCache();
  const sb = await startTapkeySandbox({ locks: bookings + 3, duplicateGrants: 'allow' });
  try {
    const client = new TapkeyClient({ tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET });
    const locks = demoLocks(demoUnits(bookings));
    await client.token();
    sb.calls.clear();
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < bookings; i = next++) {
          const boundLockId = locks[i]!.id;
          await client.listGrants(SANDBOX_OWNER_ID, { boundLockId });
          await client.createGrant(SANDBOX_OWNER_ID, { boundLockId, email: `tenant${i}@example.com`, validFrom: '2026-01-01T00:00:00.000Z', validBefore: null });
        }
      }),
    );
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    const cpu = process.cpuUsage(cpu0);
    return { bookings, concurrency, seconds, cpuSeconds: Math.round((cpu.user + cpu.system) / 100_000) / 10, calls: sb.calls.count(), callsByEndpoint: sb.calls.byEndpoint() as Record<string, number> };
  } finally {
    await sb.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { bookings: { type: 'string' }, concurrency: { type: 'string' } } });
  console.log(JSON.stringify(await runTapkeyBound({ bookings: values.bookings ? Number(values.bookings) : undefined, concurrency: values.concurrency ? Number(values.concurrency) : undefined }), null, 2));
}
