/**
 * "Test connection" for a location: the credentials given, or the stored ones (the key cache
 * is then refreshed from what the test listed, and the credential type that worked is kept so
 * jobs send it). The calls themselves are connection-test.ts.
 */
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { keycafeConnectionTestInput, keycafeConnectionTestResult } from '../../lib/contract.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import { locations } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { LocationRow } from '../resources.ts';
import { decryptSecret } from '../secrets.ts';
import { storeKeys, storeLocations } from './catalog.ts';
import { testKeycafeConnection } from './connection-test.ts';
import type { KeycafeActor, KeycafeContext } from './context.ts';

export async function testLocationConnection(
  ctx: KeycafeContext,
  who: KeycafeActor,
  location: LocationRow,
  input: z.infer<typeof keycafeConnectionTestInput>,
  lang: Language,
): Promise<z.infer<typeof keycafeConnectionTestResult>> {
  const { organizationId } = who;
  const email = input.accountEmail ?? location.keycafe?.accountEmail;
  const token = input.apiToken ?? (location.keycafeToken ? decryptSecret(ctx.secretKey, location.keycafeToken) : undefined);
  const missing = [
    !email && { path: 'keycafe.accountEmail', message: translate(lang, 'keycafe.location.notConnected') },
    !token && { path: 'keycafe.apiToken', message: translate(lang, 'keycafe.location.noToken') },
  ].filter((f): f is { path: string; message: string } => Boolean(f));
  if (missing.length) throw new ApiError('validation_failed', missing[0]!.message, missing);
  // The stored credential type applies only to the stored secret; new credentials say theirs or try both.
  const usingStored = input.apiToken === undefined && location.keycafe && email === location.keycafe.accountEmail;
  const authType = input.authType ?? (usingStored ? location.keycafe!.authType : undefined);
  const outcome = await testKeycafeConnection(ctx.keycafe, organizationId, { email: email!, secret: token!, authType }, lang);
  // Only the stored account's lists belong in its cache.
  if (usingStored) {
    const scope = { organizationId, locationId: location.id, accountEmail: email! };
    await ctx.db.transaction(async (tx) => {
      await storeLocations(tx, scope, outcome.locations);
      await storeKeys(tx, scope, outcome.keys, who.actor);
      // Keep the credential type that worked, so jobs send it.
      if (location.keycafe!.authType !== outcome.authType)
        await tx
          .update(locations)
          .set({ keycafe: { accountEmail: location.keycafe!.accountEmail, authType: outcome.authType }, updatedAt: new Date() })
          .where(and(eq(locations.organizationId, organizationId), eq(locations.id, location.id)));
    });
  }
  return {
    ok: true as const,
    accountEmail: email!,
    keys: outcome.keys.length,
    locations: outcome.locations.length,
    authType: outcome.authType,
    calls: outcome.calls,
    skipped: outcome.skipped,
  };
}
