/**
 * A Keycafe test world: the sandbox Keycafe and the API sharing one controllable clock, a
 * location connected to the sandbox's demo account, and an outbox worker running the jobs.
 */
import { and, count, inArray, like } from 'drizzle-orm';
import { outboxJobs } from '../../server/db/schema/index.ts';
import { OutboxWorker, type WorkerOptions } from '../../server/outbox/outbox.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { KeycafeService } from '../../server/keycafe/service.ts';
import { ControllableClock, DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox, type KeycafeSandboxOptions } from '../../sandbox/keycafe/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { waitUntil } from '../helpers/wait.ts';

export interface KeycafeWorld {
  api: TestApi;
  sandbox: KeycafeSandbox;
  clock: ControllableClock;
  service: KeycafeService;
  worker: OutboxWorker;
  locationId: string;
  /** Waits until no Keycafe job is due or running (scheduled key syncs aside). */
  idle(ms?: number): Promise<void>;
  /** Polls the booking until `done(booking)` (default: no key pending any more). */
  waitForBooking(id: string, done?: (b: KeycafeBooking) => boolean, ms?: number): Promise<KeycafeBooking>;
  close(): Promise<void>;
}

export const fastWorker: WorkerOptions = { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 300, concurrency: 4 };

export const settled = (b: KeycafeBooking) => b.state !== 'pending' && b.state !== 'cancelling';

export async function startKeycafeWorld(
  opts: { speed?: number; sandbox?: KeycafeSandboxOptions; worker?: WorkerOptions; timeoutMs?: number; keySyncIntervalMs?: number; leaseMarginMs?: number } = {},
): Promise<KeycafeWorld> {
  const clock = new ControllableClock({ speed: opts.speed ?? 30 });
  const sandbox = await startKeycafeSandbox({ clock, ...opts.sandbox });
  const service = new KeycafeService({ apiUrl: sandbox.url, clock, timeoutMs: opts.timeoutMs ?? 1_000, keySyncIntervalMs: opts.keySyncIntervalMs, leaseMarginMs: opts.leaseMarginMs });
  const api = await startTestApi({ deps: { keycafe: service } });
  const worker = new OutboxWorker(api.database.db, createJobHandlers(api.deps), { ...fastWorker, ...opts.worker });
  api.deps.kickOutbox = () => worker.kick();
  worker.start();
  const loc = await api.json('POST', '/v1/locations', {
    name: 'Berlin Mitte',
    timeZone: 'Europe/Berlin',
    keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN },
  });
  if (loc.status !== 201) throw new Error(`could not create location: ${JSON.stringify(loc.body)}`);
  return {
    api,
    sandbox,
    clock,
    service,
    worker,
    locationId: loc.body.id,
    idle: async (ms = 20_000) => {
      await waitUntil(
        'idle outbox',
        async () => {
          const [row] = await api.database.db
            .select({ n: count() })
            .from(outboxJobs)
            .where(and(like(outboxJobs.kind, 'keycafe.access.%'), inArray(outboxJobs.state, ['pending', 'running'])));
          return row!.n === 0;
        },
        ms,
      );
    },
    waitForBooking: (id, done = settled, ms = 20_000) =>
      waitUntil(
        `booking ${id}`,
        async () => {
          const r = await api.json<KeycafeBooking>('GET', `/v1/keycafe/bookings/${id}`);
          return done(r.body) ? r.body : null;
        },
        ms,
      ),
    async close() {
      await worker.stop();
      await api.close();
      await sandbox.close();
    },
  };
}
