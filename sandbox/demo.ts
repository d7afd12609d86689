/**
 * First-start demo for `npm start`: a location connected to the sandbox Tapkey and Keycafe,
 * its locks imported and the demo manager's units pushed, so a new user can map a lock and
 * book a key within minutes. Goes through the API's own routes (validation, encryption,
 * audit) with the bootstrap token, exactly as a user's first calls would.
 */
import { demoUnits } from './demo-data.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from './keycafe/data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID } from './tapkey-api/state.ts';

export const DEMO_LOCATION_NAME = 'Demo self-storage (sandbox)';

export async function seedDemo(apiUrl: string, token: string): Promise<{ locationId: string; locks: number; units: number }> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as any;
    if (!res.ok) throw new Error(`demo set-up: ${method} ${path} answered ${res.status}: ${json?.error?.message ?? ''}`);
    return json;
  };
  const location = await call('POST', '/v1/locations', {
    name: DEMO_LOCATION_NAME,
    timeZone: 'Europe/Berlin',
    tapkey: {
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      ownerAccountId: SANDBOX_OWNER_ID,
      syncMode: 'gradual',
      accessTrigger: 'booking_creation',
    },
    keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN },
  });
  const imported = await call('POST', `/v1/locations/${location.id}/tapkey/import-locks`);
  const units = demoUnits();
  for (const unit of units) await call('PUT', `/v1/units/${encodeURIComponent(unit.externalId)}`, { name: unit.name, locationId: location.id });
  return { locationId: location.id, locks: imported.total, units: units.length };
}
