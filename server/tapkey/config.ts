/**
 * Where Tapkey is and how patient to be with it: AppDeps.tapkey (resolved once at start from
 * the environment, server/config.ts, or given by the host), else the real service. The sandbox
 * dev entry and the tests point the same code at the fake by these settings alone.
 */
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../env.ts';
import { locations } from '../db/schema/index.ts';
import type { LocationRow } from '../resources.ts';
import { PermanentError, type DbOrTx } from '../outbox/outbox.ts';
import { decryptSecret } from '../secrets.ts';
import { DEFAULT_API_URL, DEFAULT_TOKEN_URL, TapkeyClient } from './client.ts';

export interface TapkeyDeps {
  tokenUrl?: string;
  apiUrl?: string;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** In-process retries per call before the outbox takes over. */
  retries?: number;
  retryBaseMs?: number;
  /** Store links put in the "access ready" notice. */
  appStoreUrl?: string;
  playStoreUrl?: string;
  /** How long a job holds a contact's lease (longer than any one job's Tapkey calls). */
  leaseMs?: number;
  /** The clock for access rules and the move-in scheduler (tests move it; default: real time). */
  now?: () => Date;
  /** First wait before checking again whether Tapkey finished a revocation (doubles, up to an hour). */
  revokeCheckMs?: number;
}

/**
 * The Tapkey app's store pages. NOT FOUND in the sources (the seed's links were stripped): the
 * Play id is inferred from Tapkey's `net.tpky.*` package namespace, the App Store link is a
 * search. Both can be set (TAPKEY_APP_STORE_URL, TAPKEY_PLAY_STORE_URL: server/config.ts) to the exact pages.
 */
const DEFAULT_APP_STORE_URL = 'https://apps.apple.com/search?term=Tapkey';
const DEFAULT_PLAY_STORE_URL = 'https://play.google.com/store/apps/details?id=net.tpky.mc';

export function tapkeySettings(deps: Pick<AppDeps, 'tapkey'>) {
  const t = deps.tapkey ?? {};
  return {
    tokenUrl: t.tokenUrl ?? DEFAULT_TOKEN_URL,
    apiUrl: t.apiUrl ?? DEFAULT_API_URL,
    timeoutMs: t.timeoutMs ?? 10_000,
    retries: t.retries ?? 2,
    retryBaseMs: t.retryBaseMs ?? 250,
    leaseMs: t.leaseMs ?? 2 * 60_000,
    revokeCheckMs: t.revokeCheckMs ?? 60_000,
    appStoreUrl: t.appStoreUrl ?? DEFAULT_APP_STORE_URL,
    playStoreUrl: t.playStoreUrl ?? DEFAULT_PLAY_STORE_URL,
  };
}


/** Permanent for the outbox: retrying cannot fix missing or undecryptable settings. */
export class TapkeyNotConnected extends PermanentError {}

/** The client for a location's Tapkey connection (decrypts the stored secret). */
export function clientForLocation(deps: AppDeps, location: LocationRow): { client: TapkeyClient; ownerAccountId: string } {
  if (!location.tapkey || !location.tapkeySecret) throw new TapkeyNotConnected(`Location ${location.name} has no Tapkey connection (client ID, secret and locking system ID)`);
  const s = tapkeySettings(deps);
  const client = new TapkeyClient({
    tokenUrl: s.tokenUrl,
    apiUrl: s.apiUrl,
    timeoutMs: s.timeoutMs,
    retries: s.retries,
    retryBaseMs: s.retryBaseMs,
    clientId: location.tapkey.clientId,
    clientSecret: decryptSecretOf(deps, location.tapkeySecret),
  });
  return { client, ownerAccountId: location.tapkey.ownerAccountId };
}

function decryptSecretOf(deps: AppDeps, enc: string) {
  try {
    return decryptSecret(deps.secretKey, enc);
  } catch (err) {
    throw new TapkeyNotConnected(`The stored Tapkey client secret cannot be used (${(err as Error).message}); enter it again`);
  }
}

export async function loadLocation(db: DbOrTx, organizationId: string, locationId: string): Promise<LocationRow | undefined> {
  const [row] = await db.select().from(locations).where(and(eq(locations.organizationId, organizationId), eq(locations.id, locationId)));
  return row;
}

/** The time the access rules use (a test clock when one is set). */
export const tapkeyNow = (deps: AppDeps) => deps.tapkey?.now?.() ?? new Date();
