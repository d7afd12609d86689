/**
 * Fires due triggers (move-in reached, move-out passed) by re-evaluating their bookings. The
 * triggers are rows: claiming, evaluating and marking fired happen in one transaction with
 * SKIP LOCKED, so after a crash the trigger is still due, and two processes never both fire it.
 */
import { and, asc, inArray, isNull, lte } from 'drizzle-orm';
import type { AppDeps } from '../env.ts';
import { bookings, tapkeyTriggers } from '../db/schema/index.ts';
import { tapkeyNow } from './config.ts';
import { evaluateBookings } from './grants.ts';

export interface SchedulerOptions {
  pollMs?: number;
  batch?: number;
}

export const ACTOR_SCHEDULER = 'system:tapkey-scheduler';

/** Fires every trigger due at `now`; returns how many fired. */
export async function fireDueTriggers(deps: AppDeps, now: Date, batch = 200): Promise<number> {
  let fired = 0;
  for (;;) {
    const n = await deps.database.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(tapkeyTriggers)
        .where(and(isNull(tapkeyTriggers.firedAt), lte(tapkeyTriggers.dueAt, now)))
        .orderBy(asc(tapkeyTriggers.dueAt))
        .limit(batch)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      // Mark first: evaluating may re-arm the same trigger for a new time (the upsert keeps it).
      await tx.update(tapkeyTriggers).set({ firedAt: now }).where(inArray(tapkeyTriggers.id, due.map((t) => t.id)));
      for (const organizationId of new Set(due.map((t) => t.organizationId))) {
        const ids = due.filter((t) => t.organizationId === organizationId).map((t) => t.bookingId);
        await evaluateBookings(tx, { organizationId, actor: ACTOR_SCHEDULER, now }, inArray(bookings.id, ids));
      }
      return due.length;
    });
    fired += n;
    if (n > 0) deps.kickOutbox?.();
    if (n < batch) return fired;
  }
}

export class TapkeyScheduler {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private running: Promise<void> | undefined;
  private readonly pollMs: number;
  private readonly batch: number;

  constructor(
    private readonly deps: AppDeps,
    opts: SchedulerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 30_000;
    this.batch = opts.batch ?? 200;
  }

  start() {
    this.stopped = false;
    this.schedule(0);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.pollMs);
      });
    }, ms);
  }

  private async tick() {
    try {
      await fireDueTriggers(this.deps, tapkeyNow(this.deps), this.batch);
    } catch (err) {
      // The database may be briefly unreachable; the triggers stay due for the next tick.
      if (!this.stopped) console.error('tapkey scheduler:', (err as Error).message);
    }
  }
}
