/**
 * The full-sync report tells email truth: a booking whose lock has a working Tapkey grant for
 * another email is an "email mismatch" row (booking, expected email, emails Tapkey has, suggested
 * action), that grant is protected (never in the default revoke set, only when the operator
 * selects its row), and staff card grants (no contact) are listed apart, never unexplained,
 * never revoked. Runs against the fake in lenient and strict modes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { SANDBOX_OWNER_ID } from '../../sandbox/tapkey-api/index.ts';
import { syncRunSchema, type SyncRun } from '../../lib/contract.ts';
import { activeInTapkey, createLocation, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from './helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

const units = demoUnits(6);
const u = (i: number) => units[i]!;

for (const mode of ['lenient', 'strict'] as const) {
  describe(`full-sync report, fake in ${mode} mode`, () => {
    let w: TapkeyTestWorld;
    let run: SyncRun;
    const ids: Record<string, string> = {};
    const view = async (lang = 'en') => syncRunSchema.parse((await w.api.json('GET', `/v1/sync-runs/${run.id}?lang=${lang}`)).body);
    const live = (id: string | undefined) => {
      const g = w.sb.state.grants.get(id!)!;
      return g.active && g.state === 'Ok';
    };

    beforeAll(async () => {
      w = await startTapkeyWorld({ behaviours: mode });
      const locationId = await createLocation(w.api);
      await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`);
      await setupUnits(w.api, locationId, units);
      const put = (id: string, unit: number, email: string) =>
        w.api.json('PUT', `/v1/bookings/${id}`, { unitExternalId: u(unit).externalId, tenantEmail: email, moveIn: '2026-01-01', state: 'active' });
      // The tenant already opens unit 0 with the Tapkey app under her private address.
      ids.anna = w.sb.state.addContactGrant(SANDBOX_OWNER_ID, lockOfUnit(u(0)), 'anna@gmail.com').id;
      // Staff NFC cards: one on the booked unit's lock, one on a lock without booking.
      ids.card0 = w.sb.state.addCardGrant(SANDBOX_OWNER_ID, lockOfUnit(u(0)), 'staff-card-1').id;
      ids.card3 = w.sb.state.addCardGrant(SANDBOX_OWNER_ID, lockOfUnit(u(3)), 'staff-card-2').id;
      // Someone nobody knows on a lock without booking.
      ids.stranger = w.sb.state.addContactGrant(SANDBOX_OWNER_ID, lockOfUnit(u(4)), 'stranger@example.com').id;
      await put('A1', 0, 'anna.mueller@web.de');
      await put('B1', 1, 'bob@example.com');
      const started = await w.api.json('POST', `/v1/locations/${locationId}/sync-runs`);
      expect(started.status).toBe(201);
      run = syncRunSchema.parse(started.body);
      run = await waitUntil('run done', async () => {
        const r = await view();
        return r.state === 'done' && r.report.unexplainedGrants.scan === 'done' ? r : null;
      });
    });
    afterAll(() => w.close());

    it('reports the booking for anna.mueller@web.de as an email mismatch with the emails Tapkey has', () => {
      expect(run.report.emailMismatches.count).toBe(1);
      const m = run.report.emailMismatches.items[0]!;
      expect(m).toMatchObject({ bookingExternalId: 'A1', unitExternalId: u(0).externalId, unitName: u(0).name, lockId: lockOfUnit(u(0)), expectedEmail: 'anna.mueller@web.de', otherGrantIds: [ids.anna] });
      expect(m.tapkeyEmails).toContain('anna@gmail.com');
      expect(m.tapkeyEmails).not.toContain(null);
      expect(m.suggestedAction).toContain('anna@gmail.com');
      expect(m.suggestedAction).toContain('anna.mueller@web.de');
      expect(m.suggestedAction).toMatch(/select/i);
    });

    it('suggests the action in the reader\'s language', async () => {
      const de = await view('de');
      expect(de.report.emailMismatches.items[0]!.suggestedAction).toContain('Mieter');
    });

    it('lists the tenant\'s working grant as unexplained but protected; the stranger is not protected', () => {
      const items = run.report.unexplainedGrants.items;
      const anna = items.find((i) => i.tapkeyGrantId === ids.anna)!;
      expect(anna).toMatchObject({ email: 'anna@gmail.com', protected: true, state: 'found' });
      expect(anna.note).toContain(u(0).name);
      expect(items.find((i) => i.tapkeyGrantId === ids.stranger)).toMatchObject({ email: 'stranger@example.com', protected: false, note: null });
    });

    it('never lists card grants as unexplained: they are staff cards, listed apart', () => {
      const unexplained = run.report.unexplainedGrants.items.map((i) => i.tapkeyGrantId);
      expect(unexplained).not.toContain(ids.card0);
      expect(unexplained).not.toContain(ids.card3);
      expect(run.report.cardGrants.count).toBe(2);
      expect(run.report.cardGrants.items.map((c) => [c.tapkeyGrantId, c.boundCardId]).sort()).toEqual(
        [
          [ids.card0, 'staff-card-1'],
          [ids.card3, 'staff-card-2'],
        ].sort(),
      );
      expect(run.report.lockFilter).toBe(mode === 'strict' ? 'client' : 'server');
    });

    it('"revoke unexplained" leaves the tenant\'s working grant and the staff cards alone', async () => {
      const res = await w.api.json('POST', `/v1/sync-runs/${run.id}/revoke-unexplained`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ queued: 1 });
      await waitUntil('stranger revoked', async () => {
        const s = (await view()).report.unexplainedGrants.items.find((i) => i.tapkeyGrantId === ids.stranger)!;
        return s.state === 'revoked' || (s.state === 'revoking' && s.reason);
      });
      if (mode === 'strict') w.sb.state.completeRevocations();
      expect(activeInTapkey(w.sb, 'stranger@example.com', lockOfUnit(u(4)))).toHaveLength(0);
      expect(live(ids.anna)).toBe(true);
      expect(live(ids.card0)).toBe(true);
      expect(live(ids.card3)).toBe(true);
      expect((await view()).report.unexplainedGrants.items.find((i) => i.tapkeyGrantId === ids.anna)!.state).toBe('found');
      // Asking again queues nothing: the protected row stays out of the default set.
      expect((await w.api.json('POST', `/v1/sync-runs/${run.id}/revoke-unexplained`)).body).toEqual({ queued: 0 });
    });

    it('revokes a protected grant only when the operator selects its row; refuses ids not in the run (422)', async () => {
      const bad = await w.api.json('POST', `/v1/sync-runs/${run.id}/revoke-unexplained`, { tapkeyGrantIds: [ids.card0] });
      expect(bad.status).toBe(422);
      expect(bad.body.error.message).toContain(ids.card0);
      expect(live(ids.card0)).toBe(true);
      const res = await w.api.json('POST', `/v1/sync-runs/${run.id}/revoke-unexplained`, { tapkeyGrantIds: [ids.anna] });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ queued: 1 });
      await waitUntil('anna revoked', async () => {
        const a = (await view()).report.unexplainedGrants.items.find((i) => i.tapkeyGrantId === ids.anna)!;
        return a.state === 'revoked' || (a.state === 'revoking' && a.reason);
      });
      if (mode === 'strict') w.sb.state.completeRevocations();
      expect(activeInTapkey(w.sb, 'anna@gmail.com', lockOfUnit(u(0)))).toHaveLength(0);
      // The booking's own grant was created and stays.
      expect(activeInTapkey(w.sb, 'anna.mueller@web.de', lockOfUnit(u(0)))).toHaveLength(1);
      expect(live(ids.card0)).toBe(true);
    });
  });
}
