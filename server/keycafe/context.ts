/**
 * What the Keycafe domain code needs from the host process, and nothing more: the database,
 * the key that decrypts stored Keycafe tokens, the process's Keycafe service (shared rate-limit
 * buckets) and the outbox's wake-up. Routes and jobs build it from AppDeps once per call.
 */
import type { Db } from '../db/client.ts';
import type { AppDeps } from '../env.ts';
import { keycafeServiceOf } from './connection.ts';
import type { KeycafeService } from './service.ts';

export interface KeycafeContext {
  db: Db;
  secretKey: Buffer;
  keycafe: KeycafeService;
  kickOutbox?: () => void;
}

export const keycafeContextOf = (deps: AppDeps): KeycafeContext => ({
  db: deps.database.db,
  secretKey: deps.secretKey,
  keycafe: keycafeServiceOf(deps),
  kickOutbox: deps.kickOutbox,
});

/** Who acts: the organization, the audit actor. */
export interface KeycafeActor {
  organizationId: string;
  actor: string;
}
