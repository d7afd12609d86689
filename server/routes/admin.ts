/**
 * Small routes the administration page (entrypoints/admin/) needs beside the areas' own: the
 * locking systems a Tapkey client can see before its settings are saved, and the outbox backlog.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq, min } from 'drizzle-orm';
import { outboxSummarySchema, tapkeyOwnerAccountsInput, tapkeyOwnerAccountsResult } from '../../lib/contract.ts';
import { outboxJobs } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { createRouter } from '../router.ts';
import { encryptSecret } from '../secrets.ts';
import { loadLocation } from '../tapkey/config.ts';
import { testConnection } from '../tapkey/connection.ts';
import { authErrors, ErrorBody, errors, json, jsonBody, openapi, uuidParam } from './openapi.ts';

const owners = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/tapkey/owner-accounts',
  tags: ['Tapkey'],
  summary: 'The locking systems (owner accounts) a Tapkey client can see, before its settings are saved',
  description:
    'Logs in with the client ID and secret sent (or the stored ones when omitted) and lists the owner accounts the client administers, ' +
    'so a locking system can be picked instead of pasted. Nothing is stored; the secret is never returned. ' +
    '`problems` names what is wrong (bad client ID or secret, a permission missing, not co-admin of any locking system).',
  request: { params: z.object({ id: uuidParam('id') }), ...jsonBody(openapi(tapkeyOwnerAccountsInput, 'TapkeyOwnerAccountsInput')) },
  responses: {
    200: json(openapi(tapkeyOwnerAccountsResult, 'TapkeyOwnerAccounts'), 'The owner accounts, and what is wrong'),
    ...errors(400, 401, 404, 413),
    422: json(ErrorBody, 'No client ID or secret sent and none stored'),
  },
});

const outbox = createRoute({
  method: 'get',
  path: '/v1/outbox/summary',
  tags: ['Health'],
  summary: 'The background work (grants, Keycafe accesses, …) not done yet, and the latest failures',
  responses: { 200: json(openapi(outboxSummarySchema, 'OutboxSummary'), 'Counts by kind and state'), ...authErrors },
});

const FAILURES = 50;

export const adminRouter = createRouter()
  .openapi(owners, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const deps = c.get('deps');
    const row = await loadLocation(deps.database.db, c.get('organizationId'), id);
    if (!row) throw new ApiError('not_found', 'Location not found');
    const clientId = input.clientId ?? row.tapkey?.clientId;
    const tapkeySecret = input.clientSecret !== undefined ? encryptSecret(deps.secretKey, input.clientSecret) : row.tapkeySecret;
    if (!clientId || !tapkeySecret)
      throw new ApiError('unprocessable', 'Enter the client ID and client secret first', [
        ...(clientId ? [] : [{ path: 'clientId', message: 'Required' }]),
        ...(tapkeySecret ? [] : [{ path: 'clientSecret', message: 'Required' }]),
      ]);
    // The connection test on a copy of the location with these credentials (nothing written):
    // its owner list and its login/permission problems; which locking system is chosen is not known yet.
    const probe = { ...row, tapkey: { syncMode: 'gradual' as const, accessTrigger: 'booking_creation' as const, ...row.tapkey, clientId, ownerAccountId: row.tapkey?.ownerAccountId ?? '-' }, tapkeySecret };
    const report = await testConnection(deps, probe);
    const problems = report.problems.filter((p) => p.code !== 'owner_not_found' && !(report.owners.length > 0 && p.code === 'forbidden'));
    return c.json({ owners: report.owners, problems }, 200);
  })
  .openapi(outbox, async (c) => {
    const { db } = c.get('deps').database;
    const organizationId = c.get('organizationId');
    const [groups, [oldest], failures] = await Promise.all([
      db
        .select({ kind: outboxJobs.kind, state: outboxJobs.state, n: count() })
        .from(outboxJobs)
        .where(eq(outboxJobs.organizationId, organizationId))
        .groupBy(outboxJobs.kind, outboxJobs.state),
      db
        .select({ at: min(outboxJobs.createdAt) })
        .from(outboxJobs)
        .where(and(eq(outboxJobs.organizationId, organizationId), eq(outboxJobs.state, 'pending'))),
      db
        .select()
        .from(outboxJobs)
        .where(and(eq(outboxJobs.organizationId, organizationId), eq(outboxJobs.state, 'failed')))
        .orderBy(desc(outboxJobs.updatedAt))
        .limit(FAILURES),
    ]);
    const total = (state: string) => groups.filter((g) => g.state === state).reduce((s, g) => s + g.n, 0);
    return c.json(
      {
        pending: total('pending'),
        running: total('running'),
        failed: total('failed'),
        oldestPendingAt: oldest?.at ? new Date(oldest.at).toISOString() : null,
        byKind: groups.map((g) => ({ kind: g.kind, state: g.state, count: g.n })),
        failures: failures.map((f) => ({ id: f.id, kind: f.kind, attempts: f.attempts, lastError: f.lastError, updatedAt: f.updatedAt.toISOString() })),
      },
      200,
    );
  });
