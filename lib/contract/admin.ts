/**
 * What the AccessBridge admin page reads besides the resources above. Part of the shared contract
 * (lib/contract.ts).
 */
import { z } from 'zod';
import { tapkeyConnectionTestSchema } from './bookings.ts';
import { id, isoDateTime } from './common.ts';

/** POST /v1/locations/{id}/tapkey/owner-accounts: the locking systems a client ID and secret can see, before saving them. */
export const tapkeyOwnerAccountsInput = z.object({
  /** Omit to use the stored one. */
  clientId: z.string().trim().min(1).max(200).optional(),
  /** Omit to use the stored secret; never returned. */
  clientSecret: z.string().min(1).max(500).optional(),
});
export const tapkeyOwnerAccountsResult = z.object({
  owners: tapkeyConnectionTestSchema.shape.owners,
  problems: tapkeyConnectionTestSchema.shape.problems,
});
export type TapkeyOwnerAccounts = z.infer<typeof tapkeyOwnerAccountsResult>;

/** GET /v1/outbox/summary: the background work not done yet, and what failed. */
export const outboxSummarySchema = z.object({
  pending: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
  /** Oldest job still waiting to run, if any. */
  oldestPendingAt: isoDateTime.nullable(),
  byKind: z.array(z.object({ kind: z.string(), state: z.enum(['pending', 'running', 'done', 'failed']), count: z.number().int() })),
  /** The latest failed jobs (at most 50), newest first. */
  failures: z.array(z.object({ id, kind: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), updatedAt: isoDateTime })),
});
export type OutboxSummary = z.infer<typeof outboxSummarySchema>;
