/** The Tapkey area's outbox job handlers, by kind (registered in server/jobs.ts). */
import type { AppDeps } from '../env.ts';
import type { JobHandler } from '../outbox/outbox.ts';
import { RECONCILE_JOB } from './grants.ts';
import { reconcileHandler } from './reconcile.ts';
import { REVOKE_UNEXPLAINED_JOB, revokeUnexplainedHandler, SCAN_JOB, scanHandler } from './sync-runs.ts';

export function tapkeyJobHandlers(deps: AppDeps): Record<string, JobHandler<any>> {
  return {
    [RECONCILE_JOB]: reconcileHandler(deps),
    [SCAN_JOB]: scanHandler(deps),
    [REVOKE_UNEXPLAINED_JOB]: revokeUnexplainedHandler(deps),
  };
}
