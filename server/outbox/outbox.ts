/**
 * The durable outbox: jobs enqueued in the domain transaction, claimed in batches under a lease,
 * run, and completed or failed in a transaction fenced on that lease. Over 300 lines on purpose:
 * the claim, the lease fence and the completion batch share invariants (a job is recorded only
 * by the holder of its current lease) that are easier to keep true when read in one file.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
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
  /**
   * Optional: runs several claimed jobs of this kind at once, sharing their database reads
   * (one promise per job, in order; each settles on its own). Same rules as `run`.
   */
  runBatch?(jobs: OutboxJob[]): Promise<R>[];
  /** Records the outcome in the domain tables, in the same transaction that marks the job done. */
  complete?(tx: Tx, job: OutboxJob, result: R): Promise<void>;
  /**
   * Optional: records several outcomes of this kind in one transaction (bulk statements); same
   * effect as `complete` for each, in order. The worker calls it only for jobs still its own.
   */
  completeBatch?(tx: Tx, items: { job: OutboxJob; result: R }[]): Promise<void>;
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
 * Claims up to `limit` due jobs in one statement: pending ones whose time has come (read in
 * run_at order along outbox_claim_idx, so a long queue is not sorted on every claim), and
 * running ones whose lease ran out (their worker died). SKIP LOCKED lets several processes
 * claim side by side; each claim gets a fresh lease that fences the job's outcome.
 */
export async function claimJobs(db: Db, kinds: string[], limit: number, leaseMs: number): Promise<OutboxJob[]> {
  if (kinds.length === 0 || limit <= 0) return [];
  const due = (state: SQL) =>
    sql`array(select id from outbox_jobs where kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)}) and ${state} order by run_at limit ${limit} for update skip locked)`;
  const rows = await db
    .update(outboxJobs)
    .set({
      state: 'running',
      attempts: sql`${outboxJobs.attempts} + 1`,
      lease: sql`gen_random_uuid()`,
      lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
      updatedAt: sql`now()`,
    })
    // Expired leases first: a job a dead worker held has waited longest.
    .where(sql`${outboxJobs.id} = any(${due(sql`state = 'running' and locked_until < now()`)} || ${due(sql`state = 'pending' and run_at <= now()`)})`)
    .returning();
  // Never more than asked: the surplus (both parts full at once) goes back untouched but the attempt.
  if (rows.length <= limit) return rows;
  const extra = rows.slice(limit);
  await db
    .update(outboxJobs)
    .set({ state: 'pending', attempts: sql`${outboxJobs.attempts} - 1`, lease: null, updatedAt: sql`now()` })
    .where(inArray(outboxJobs.id, extra.map((j) => j.id)));
  return rows.slice(0, limit);
}

/**
 * Jobs one process runs at once. Tuned against the sandbox Tapkey's direct bound
 * (bench/tapkey-bound.ts at the same concurrency): 8 keeps claim and completion batches big
 * enough to cost a few statements per job; Keycafe paces itself (server/keycafe/rate-limiter.ts).
 */
export const DEFAULT_OUTBOX_CONCURRENCY = 8;

export interface WorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs, with jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Most finished jobs recorded in one transaction. */
  completeBatch?: number;
  /** How long a finished job may wait for others to share its transaction (only while others run). */
  completeDelayMs?: number;
}

export function backoffMs(attempt: number, base: number, max: number, retryAfterMs = 0): number {
  const expo = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.round(expo / 2 + Math.random() * (expo / 2)));
}

interface Finished {
  job: OutboxJob;
  result: unknown;
}

/**
 * Runs outbox jobs of the registered kinds until stopped. One per API process, plus any number
 * of worker processes (server/worker.ts) on PostgreSQL.
 *
 * Batches, so a busy queue costs a few statements per job instead of a transaction each:
 * - claims: when a quarter of the slots is free (or none is busy), not after every job;
 * - runs: jobs claimed together go to their handler's `runBatch` when it has one;
 * - completion: a finished job waits up to `completeDelayMs` for others (only while others
 *   run) and they are recorded in one transaction. Each job stays fenced on its own lease: only
 *   jobs whose lease still matches are marked done and have `complete` run; if the batch
 *   transaction fails, each job is recorded on its own, as without batching.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private inFlight = new Set<Promise<void>>();
  private finished: Finished[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly opts: Required<WorkerOptions>;

  constructor(
    private readonly db: Db,
    private readonly handlers: Record<string, JobHandler<any>>,
    opts: WorkerOptions = {},
  ) {
    this.opts = { concurrency: DEFAULT_OUTBOX_CONCURRENCY, leaseMs: 60_000, pollMs: 500, baseBackoffMs: 1000, maxBackoffMs: 5 * 60_000, completeBatch: 100, completeDelayMs: 20, ...opts };
  }

  start() {
    this.stopped = false;
    this.schedule(0);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    // The last outcomes are recorded before stop() returns.
    clearTimeout(this.flushTimer);
    while (this.flushing || this.finished.length) await (this.flushing ?? this.flush());
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
      // Busy: wait until a batch worth claiming is free (each finishing job kicks again).
      const worthClaiming = this.inFlight.size === 0 ? 1 : Math.max(1, Math.floor(this.opts.concurrency / 4));
      if (free >= worthClaiming) {
        const jobs = await claimJobs(this.db, Object.keys(this.handlers), free, this.opts.leaseMs);
        claimed = jobs.length;
        this.startJobs(jobs);
      }
    } catch (err) {
      // The database may be briefly unreachable (dropped connection); try again at the next poll.
      if (!this.stopped) console.error('outbox: claim failed:', (err as Error).message);
    } finally {
      this.running = false;
      if (!this.stopped) this.schedule(claimed > 0 ? 0 : this.opts.pollMs);
    }
  }

  private startJobs(jobs: OutboxJob[]) {
    const byKind = new Map<string, OutboxJob[]>();
    for (const job of jobs) byKind.set(job.kind, [...(byKind.get(job.kind) ?? []), job]);
    for (const [kind, group] of byKind) {
      const handler = this.handlers[kind]!;
      let runs: Promise<unknown>[];
      try {
        runs = handler.runBatch && group.length > 1 ? handler.runBatch(group) : group.map((job) => handler.run(job));
      } catch (err) {
        runs = group.map(() => Promise.reject(err));
      }
      group.forEach((job, i) => {
        const p = this.settle(job, runs[i]!).finally(() => {
          this.inFlight.delete(p);
          this.maybeFlush();
          this.kick();
        });
        this.inFlight.add(p);
      });
    }
  }

  private fence(job: OutboxJob) {
    return and(eq(outboxJobs.id, job.id), eq(outboxJobs.lease, job.lease!));
  }

  private async settle(job: OutboxJob, run: Promise<unknown>) {
    try {
      this.finished.push({ job, result: await run });
    } catch (err) {
      await this.recordFailure(job, err);
    }
  }

  /** Records the finished jobs now when nothing else runs or the batch is full, else soon. */
  private maybeFlush() {
    if (this.finished.length === 0 || this.flushing) return;
    if (this.inFlight.size === 0 || this.finished.length >= this.opts.completeBatch) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        if (!this.flushing) void this.flush();
      }, this.opts.completeDelayMs);
    }
  }

  private flush(): Promise<void> {
    const run = async () => {
      try {
        while (this.finished.length > 0) {
          const batch = this.finished.splice(0, this.opts.completeBatch);
          if (batch.length > 1) await this.completeBatch(batch);
          else await this.completeOne(batch[0]!);
        }
      } finally {
        this.flushing = undefined;
      }
    };
    this.flushing = run();
    return this.flushing;
  }

  private async completeBatch(batch: Finished[]) {
    // Same order in every process, so two batch transactions lock domain rows alike.
    const sorted = [...batch].sort((a, b) => (a.job.id < b.job.id ? -1 : 1));
    try {
      await this.db.transaction(async (tx) => {
        const values = sorted.map((f) => sql`(${f.job.id}::uuid, ${f.job.lease}::uuid, ${f.result == null ? null : JSON.stringify(f.result)}::jsonb)`);
        const done = await tx.execute(sql`
          update outbox_jobs as o set state = 'done', result = v.result, last_error = null, finished_at = now(), updated_at = now(), lease = null
          from (values ${sql.join(values, sql`, `)}) as v(id, lease, result)
          where o.id = v.id and o.lease = v.lease
          returning o.id`);
        const mine = new Set((done as unknown as { rows: { id: string }[] }).rows.map((r) => r.id));
        // Lost the lease (another process took the job over): its outcome wins, not ours.
        const byKind = new Map<string, Finished[]>();
        for (const f of sorted) if (mine.has(f.job.id)) byKind.set(f.job.kind, [...(byKind.get(f.job.kind) ?? []), f]);
        for (const [kind, items] of byKind) {
          const handler = this.handlers[kind]!;
          if (handler.completeBatch && items.length > 1) await handler.completeBatch(tx, items);
          else if (handler.complete) for (const f of items) await handler.complete(tx, f.job, f.result);
        }
      });
    } catch {
      // One job's completion failed (or the connection dropped): record each on its own.
      for (const f of sorted) await this.completeOne(f);
    }
  }

  private async completeOne({ job, result }: Finished) {
    const handler = this.handlers[job.kind]!;
    try {
      await this.db.transaction(async (tx) => {
        const done = await tx
          .update(outboxJobs)
          .set({ state: 'done', result: (result ?? null) as object, lastError: null, finishedAt: sql`now()`, updatedAt: sql`now()`, lease: null })
          .where(this.fence(job))
          .returning({ id: outboxJobs.id });
        // Lost the lease (another process took the job over): its outcome wins, not ours.
        if (done.length && handler.complete) await handler.complete(tx, job, result);
      });
    } catch (err) {
      await this.recordFailure(job, err);
    }
  }

  private async recordFailure(job: OutboxJob, err: unknown) {
    const handler = this.handlers[job.kind]!;
    const mine = this.fence(job);
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
