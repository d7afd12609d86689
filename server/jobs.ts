/**
 * The outbox job handlers of every provider area, by job kind. The OutboxWorker started by
 * server/serve.ts runs these; each area registers its handlers below with one added line.
 */
import type { AppDeps } from './env.ts';
import type { JobHandler } from './outbox/outbox.ts';
import { tapkeyJobHandlers } from './tapkey/jobs.ts';
import { keycafeJobHandlers } from './keycafe/jobs.ts';

export type JobHandlers = Record<string, JobHandler<any>>;

export function createJobHandlers(deps: AppDeps): JobHandlers {
  return {
    ...tapkeyJobHandlers(deps),
    ...keycafeJobHandlers(deps),
  };
}
