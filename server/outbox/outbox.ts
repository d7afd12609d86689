import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outboxJobs } from '../db/schema/index.ts';

export type OutboxJob = typeof outboxJobs.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** A failure worth retrying (429, 5xx, timeout); `retryAfterMs` honours a provider's Retry-After. */
export class RetryableError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** A failure that retrying cannot fix (400, 403, validation): the job fails at once, visibly. */
export class PermanentError extends Error {}

export interface JobHandler<R = unknown> {
  /** Does the provider call. Must be safe to run again after a crash (check before create). */
  run(job: OutboxJob): Promise<R>;
  /** Records the outcome in the domain tables, in the same transaction that marks the job done. */
  complete?(tx: Tx, job: OutboxJob, result: R): Promise<void>;
  /** Records a final failure (attempts exhausted or permanent) in the domain tables. */
  fail?(tx: Tx, job: OutboxJob, reason: string): Promise<void>;
}

export interface EnqueueInput {
  organizationId: string;
  kind: string;
  idempotencyKey: string;
  payload: unknown;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds a job unless one with the same idempotency key exists (then returns that one). Call it
 * inside the transaction that changes the domain rows, so the intent and the job land together.
 */
export async function enqueue(db: DbOrTx, job: EnqueueInput): Promise<OutboxJob> {
  const [created] = await db
    .insert(outboxJobs)
    .values({ ...job, payload: job.payload as object })
    .onConflictDoNothing({ target: [outboxJobs.organizationId, outboxJobs.idempotencyKey] })
    .returning();
  if (created) return created;
  const [existing] = await db
    .select()
    .from(outboxJobs)
    .where(and(eq(outboxJobs.organizationId, job.organizationId), eq(outboxJobs.idempotencyKey, job.idempotencyKey)));
  return existing!;
}

/** Puts a failed job back in the queue (the "retry" of a visible failed state). */
export async function retryJob(db: DbOrTx, organizationId: string, jobId: string): Promise<boolean> {
  const rows = await db
    .update(outboxJobs)
    .set({ state: 'pending', attempts: 0, runAt: sql`now()`, lastError: null, finishedAt: null, updatedAt: sql`now()` })
    .where(and(eq(outboxJobs.id, jobId), eq(outboxJobs.organizationId, organizationId), eq(outboxJobs.state, 'failed')))
    .returning({ id: outboxJobs.id });
  return rows.length > 0;
}

/**
 * Claims up to `limit` due jobs: pending ones whose time has come, and running ones whose lease
 * ran out (their worker died). SKIP LOCKED lets several processes claim side by side.
 */
export async function claimJobs(db: Db, kinds: string[], limit: number, leaseMs: number): Promise<OutboxJob[]> {
  if (kinds.length === 0) return [];
  const result = await db.execute(sql`
    update outbox_jobs set state = 'running', attempts = attempts + 1, lease = gen_random_uuid(),
      locked_until = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
    where id in (
      select id from outbox_jobs
      where kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})
        and ((state = 'pending' and run_at <= now()) or (state = 'running' and locked_until < now()))
      order by run_at
      limit ${limit}
      for update skip locked)
    returning id`);
  const ids = (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(outboxJobs).where(sql`${outboxJobs.id} in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
}

export interface WorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs, with jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export function backoffMs(attempt: number, base: number, max: number, retryAfterMs = 0): number {
  const expo = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.round(expo / 2 + Math.random() * (expo / 2)));
}

/** Runs outbox jobs of the registered kinds until stopped. One per API process is enough. */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private inFlight = new Set<Promise<void>>();
  private readonly opts: Required<WorkerOptions>;

  constructor(
    private readonly db: Db,
    private readonly handlers: Record<string, JobHandler<any>>,
    opts: WorkerOptions = {},
  ) {
    this.opts = { concurrency: 4, leaseMs: 60_000, pollMs: 500, baseBackoffMs: 1000, maxBackoffMs: 5 * 60_000, ...opts };
  }

  start() {
    this.stopped = false;
    this.schedule(0);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for work now instead of at the next poll (call after enqueueing). */
  kick() {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    if (this.running || this.stopped) return;
    this.running = true;
    let claimed = 0;
    try {
      const free = this.opts.concurrency - this.inFlight.size;
      if (free > 0) {
        const jobs = await claimJobs(this.db, Object.keys(this.handlers), free, this.opts.leaseMs);
        claimed = jobs.length;
        for (const job of jobs) {
          const p = this.execute(job).finally(() => {
            this.inFlight.delete(p);
            this.kick();
          });
          this.inFlight.add(p);
        }
      }
    } catch (err) {
      // The database may be briefly unreachable (dropped connection); try again at the next poll.
      if (!this.stopped) console.error('outbox: claim failed:', (err as Error).message);
    } finally {
      this.running = false;
      if (!this.stopped) this.schedule(claimed > 0 ? 0 : this.opts.pollMs);
    }
  }

  private async execute(job: OutboxJob) {
    const handler = this.handlers[job.kind]!;
    const mine = and(eq(outboxJobs.id, job.id), eq(outboxJobs.lease, job.lease!));
    try {
      const result = await handler.run(job);
      await this.db.transaction(async (tx) => {
        const done = await tx
          .update(outboxJobs)
          .set({ state: 'done', result: (result ?? null) as object, lastError: null, finishedAt: sql`now()`, updatedAt: sql`now()`, lease: null })
          .where(mine)
          .returning({ id: outboxJobs.id });
        // Lost the lease (another process took the job over): its outcome wins, not ours.
        if (done.length && handler.complete) await handler.complete(tx, job, result);
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const final = err instanceof PermanentError || job.attempts >= job.maxAttempts;
      await this.db
        .transaction(async (tx) => {
          if (final) {
            const failed = await tx
              .update(outboxJobs)
              .set({ state: 'failed', lastError: reason, finishedAt: sql`now()`, updatedAt: sql`now()`, lease: null })
              .where(mine)
              .returning({ id: outboxJobs.id });
            if (failed.length && handler.fail) await handler.fail(tx, job, reason);
          } else {
            const delay = backoffMs(job.attempts, this.opts.baseBackoffMs, this.opts.maxBackoffMs, err instanceof RetryableError ? err.retryAfterMs : 0);
            await tx
              .update(outboxJobs)
              .set({ state: 'pending', lastError: reason, runAt: sql`now() + ${delay} * interval '1 millisecond'`, updatedAt: sql`now()`, lease: null })
              .where(mine);
          }
        })
        .catch((e) => console.error('outbox: could not record failure:', (e as Error).message));
    }
  }
}
