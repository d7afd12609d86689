import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../server/db/client.ts';
import { freshDatabase } from './helpers/db.ts';
import { organizations, outboxJobs } from '../server/db/schema/index.ts';
import { enqueue, OutboxWorker, PermanentError, RetryableError, retryJob, type OutboxJob } from '../server/outbox/outbox.ts';
import { waitUntil } from './helpers/wait.ts';

let database: Database;
let orgId: string;

beforeEach(async () => {
  database = await freshDatabase();
  orgId = (await database.db.insert(organizations).values({ name: "Org" }).returning())[0]!.id;
});
afterEach(() => database.close());

const jobState = async (id: string) => (await database.db.select().from(outboxJobs).where(eq(outboxJobs.id, id)))[0]!;

describe('outbox', () => {
  it('enqueue is idempotent per key', async () => {
    const a = await enqueue(database.db, { organizationId: orgId, kind: 'k', idempotencyKey: 'x', payload: { n: 1 } });
    const b = await enqueue(database.db, { organizationId: orgId, kind: 'k', idempotencyKey: 'x', payload: { n: 2 } });
    expect(b.id).toBe(a.id);
    expect(b.payload).toEqual({ n: 1 });
  });

  it('retries retryable errors with backoff, then completes once in the same transaction', async () => {
    let calls = 0;
    const completed: unknown[] = [];
    const worker = new OutboxWorker(
      database.db,
      {
        k: {
          run: async () => {
            if (++calls < 3) throw new RetryableError('429', 10);
            return { ok: calls };
          },
          complete: async (_tx, _job: OutboxJob, result) => void completed.push(result),
        },
      },
      { pollMs: 10, baseBackoffMs: 5 },
    );
    const job = await enqueue(database.db, { organizationId: orgId, kind: 'k', idempotencyKey: 'a', payload: {} });
    worker.start();
    await waitUntil('job done', async () => (await jobState(job.id)).state === 'done', 10_000, 20);
    await worker.stop();
    expect(calls).toBe(3);
    expect(completed).toEqual([{ ok: 3 }]);
    expect((await jobState(job.id)).attempts).toBe(3);
  });

  it('fails permanently at once, visibly, and can be retried', async () => {
    let fail = true;
    const reasons: string[] = [];
    const worker = new OutboxWorker(
      database.db,
      {
        k: {
          run: async () => {
            if (fail) throw new PermanentError('bad request');
            return 'ok';
          },
          fail: async (_tx, _job, reason) => void reasons.push(reason),
        },
      },
      { pollMs: 10 },
    );
    const job = await enqueue(database.db, { organizationId: orgId, kind: 'k', idempotencyKey: 'b', payload: {} });
    worker.start();
    await waitUntil('job failed', async () => (await jobState(job.id)).state === 'failed', 10_000, 20);
    expect(reasons).toEqual(['bad request']);
    expect((await jobState(job.id)).lastError).toBe('bad request');
    fail = false;
    expect(await retryJob(database.db, orgId, job.id)).toBe(true);
    worker.kick();
    await waitUntil('job done', async () => (await jobState(job.id)).state === 'done', 10_000, 20);
    await worker.stop();
  });

  it('takes over a job whose lease expired (its worker died)', async () => {
    const job = await enqueue(database.db, { organizationId: orgId, kind: 'k', idempotencyKey: 'c', payload: {} });
    await database.exec(`update outbox_jobs set state='running', attempts=1, locked_until=now() - interval '1 second' where id='${job.id}'`);
    const worker = new OutboxWorker(database.db, { k: { run: async () => 'ok' } }, { pollMs: 10 });
    worker.start();
    await waitUntil('job done', async () => (await jobState(job.id)).state === 'done', 10_000, 20);
    await worker.stop();
    expect((await jobState(job.id)).attempts).toBe(2);
  });
});
