/**
 * Booking webhooks, for managers that can push: `POST /v1/hooks/bookings/{locationId}` is signed
 * with the location's secret (server/bookings/hook-signature.ts), not authenticated by an API
 * token (app.ts lets /v1/hooks/* past the token check). The order of checks is the point:
 * signature and timestamp before the body is even parsed, then the event id claimed in the
 * same transaction as the writes, so a replay changes nothing and a failed write claims nothing.
 * The secret is created or rotated by `POST /v1/locations/{id}/booking-hook/secret` (token
 * authenticated) and shown once.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { bookingHookInput, bookingHookSecretSchema, bookingIntakeResultSchema, errorBodySchema, type BookingIntakeResult } from '../../lib/contract.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { HOOK_SECRET_PREFIX, newHookSecret, REPLAY_WINDOW_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyHook, type HookRefusal } from '../bookings/hook-signature.ts';
import { applyWrites, ConcurrentCreate, planWrites } from '../bookings/write.ts';
import { bookingHookEvents, bookingHookSecrets, locations } from '../db/schema/index.ts';
import { ApiError, validationError } from '../errors.ts';
import { decryptSecret, encryptSecret } from '../secrets.ts';
import { createRouter } from '../router.ts';
import { tapkeyNow } from '../tapkey/config.ts';
import { errors, json, openapi } from './openapi.ts';

const tags = ['Bookings & Tapkey access'];
export const HOOK_PATH_PREFIX = '/v1/hooks/';
const hookPath = (locationId: string) => `/v1/hooks/bookings/${locationId}`;

const IntakeResult = openapi(bookingIntakeResultSchema, 'BookingIntakeResult');

const rotate = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/booking-hook/secret',
  tags,
  summary: 'Create or rotate the location booking webhook secret (shown once)',
  description:
    'Answers the new secret once; only an encrypted copy is kept. The previous secret stops working at once: ' +
    'update the sender right after rotating. See POST /v1/hooks/bookings/{locationId} for how to sign.',
  request: { params: z.object({ id: z.string().uuid('Not a valid UUID').openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 201: json(openapi(bookingHookSecretSchema, 'BookingHookSecret'), 'The new secret, shown this once'), ...errors(400, 401, 404) },
});

const example = [
  'BODY=\'{"eventId":"evt-1001","bookings":[{"externalId":"B5000","unitExternalId":"U1000","tenantEmail":"anna@example.com","moveIn":"2026-03-01","state":"active"}]}\'',
  'TS=$(date +%s)',
  'SIG=$(printf \'%s.%s\' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed \'s/^.* //\')',
  'curl -X POST "$API/v1/hooks/bookings/$LOCATION_ID" -H "Content-Type: application/json" \\',
  '  -H "X-AccessBridge-Timestamp: $TS" -H "X-AccessBridge-Signature: sha256=$SIG" --data "$BODY"',
].join('\n');

/** Documented here, served by the plain handler below: the body is checked only after the signature. */
const hook = createRoute({
  method: 'post',
  path: '/v1/hooks/bookings/{locationId}',
  tags,
  security: [],
  summary: 'Signed booking webhook: a manager pushes bookings of one location',
  description:
    'No API token: the request is signed with the location secret (POST /v1/locations/{id}/booking-hook/secret). ' +
    'Send `X-AccessBridge-Timestamp` (unix seconds) and `X-AccessBridge-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. ' +
    `Timestamps more than ${REPLAY_WINDOW_SECONDS / 60} minutes from the server clock are refused (401), as is a wrong signature. ` +
    'Each `eventId` is applied once: delivering it again answers 409 `conflict` with the first result in `details` and changes nothing (treat it as delivered). ' +
    'Bookings are upserted by the manager booking id with the intake rules (a missing state keeps the stored one; an ended or cancelled booking is never made active: restore is explicit); ' +
    'units must belong to this location. Rows that cannot be applied are listed in `refused`.\n\nExample (bash):\n\n```\n' +
    example +
    '\n```',
  request: {
    params: z.object({ locationId: z.string().uuid().openapi({ param: { name: 'locationId', in: 'path' } }) }),
    headers: z.object({
      'x-accessbridge-timestamp': z.string().openapi({ description: 'Unix time in seconds when the request was signed', example: '1767225600' }),
      'x-accessbridge-signature': z.string().openapi({ description: 'sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>' }),
    }),
    body: { required: true, content: { 'application/json': { schema: openapi(bookingHookInput, 'BookingHookInput') } } },
  },
  responses: {
    200: json(IntakeResult, 'Applied: counts of created, changed, unchanged and refused bookings'),
    ...errors(400, 401, 413),
    409: json(openapi(errorBodySchema, 'ErrorBody'), 'This event id was applied before (the first result is in `details`)'),
  },
});

const refusal: Record<HookRefusal, string> = {
  missing_headers: `Sign the request: send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}`,
  bad_timestamp: `${TIMESTAMP_HEADER} must be unix time in seconds`,
  expired: `The timestamp is more than ${REPLAY_WINDOW_SECONDS / 60} minutes from the server clock: sign each delivery when sending it (and check the sender's clock)`,
  bad_signature: 'The signature does not match: sign "<timestamp>.<raw body>" with the location secret (HMAC-SHA256, hex; POST /v1/locations/{id}/booking-hook/secret creates it)',
};

export const hooksRouter = createRouter();

hooksRouter.openapi(rotate, async (c) => {
  const { id } = c.req.valid('param');
  const deps = c.get('deps');
  const organizationId = c.get('organizationId');
  const secret = newHookSecret();
  const row = await deps.database.db.transaction(async (tx) => {
    const [location] = await tx.select({ id: locations.id }).from(locations).where(and(eq(locations.organizationId, organizationId), eq(locations.id, id)));
    if (!location) throw new ApiError('not_found', `Location ${id} not found`);
    const [saved] = await tx
      .insert(bookingHookSecrets)
      .values({ organizationId, locationId: id, secretEnc: encryptSecret(deps.secretKey, secret) })
      .onConflictDoUpdate({ target: bookingHookSecrets.locationId, set: { secretEnc: sql`excluded.secret_enc`, createdAt: sql`now()` } })
      .returning();
    // The audit says that it happened, never the secret.
    await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'booking_hook.secret_rotated', entity: 'location', entityId: id, after: { createdAt: saved!.createdAt } });
    return saved!;
  });
  return c.json({ locationId: id, secret, createdAt: row.createdAt.toISOString(), path: hookPath(id) }, 201);
});

hooksRouter.openAPIRegistry.registerPath(hook);

hooksRouter.post('/v1/hooks/bookings/:locationId', async (c) => {
  const deps = c.get('deps');
  const { db } = deps.database;
  const locationId = c.req.param('locationId');
  const rawBody = await c.req.text();
  // An unknown location, one without a secret and a wrong signature answer alike.
  const [row] = z.string().uuid().safeParse(locationId).success
    ? await db.select().from(bookingHookSecrets).where(eq(bookingHookSecrets.locationId, locationId))
    : [];
  const check = verifyHook(row ? decryptSecret(deps.secretKey, row.secretEnc) : null, { timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER) }, rawBody, Date.now());
  if (!check.ok || !row) throw new ApiError('unauthorized', refusal[check.ok ? 'bad_signature' : check.reason]);

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new ApiError('bad_request', 'The body is not valid JSON');
  }
  const parsed = bookingHookInput.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  const input = parsed.data;
  const organizationId = row.organizationId;
  const ctx = { organizationId, actor: `webhook:${locationId}`, now: tapkeyNow(deps), source: 'webhook' as const };

  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await db.transaction(async (tx) => {
        const [claimed] = await tx
          .insert(bookingHookEvents)
          .values({ locationId, eventId: input.eventId, organizationId, result: {} })
          .onConflictDoNothing()
          .returning({ eventId: bookingHookEvents.eventId });
        if (!claimed) {
          const [first] = await tx
            .select({ result: bookingHookEvents.result, receivedAt: bookingHookEvents.receivedAt })
            .from(bookingHookEvents)
            .where(and(eq(bookingHookEvents.locationId, locationId), eq(bookingHookEvents.eventId, input.eventId)));
          return { duplicate: true as const, first };
        }
        const plans = await planWrites(tx, input.bookings, { organizationId, create: true, locationId });
        const result = await applyWrites(tx, ctx, plans);
        await tx
          .update(bookingHookEvents)
          .set({ result })
          .where(and(eq(bookingHookEvents.locationId, locationId), eq(bookingHookEvents.eventId, input.eventId)));
        return { duplicate: false as const, result };
      });
      if (outcome.duplicate)
        throw new ApiError('conflict', `Event ${input.eventId} was already applied (at ${outcome.first?.receivedAt.toISOString()}); nothing changed`, [], {
          eventId: input.eventId,
          result: outcome.first?.result as BookingIntakeResult,
        });
      if (outcome.result.created + outcome.result.changed > 0) deps.kickOutbox?.();
      return c.json(outcome.result, 200);
    } catch (err) {
      if (err instanceof ConcurrentCreate && attempt === 0) continue;
      throw err;
    }
  }
});

export { HOOK_SECRET_PREFIX };
