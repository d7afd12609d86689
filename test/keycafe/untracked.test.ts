/**
 * The sweep for Keycafe accesses that match a booking (key, recipient, period) but that no
 * booking tracks (server/keycafe/sweep.ts), in both sandbox modes: listed, cancelled on
 * Keycafe, or adopted by the booking's key whose create failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { keycafeAccesses } from '../../server/db/schema/index.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from '../../sandbox/keycafe/index.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';
import { startKeycafeWorld, type KeycafeWorld } from './helpers.ts';

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('untracked Keycafe accesses (%s sandbox)', (mode) => {
  let w: KeycafeWorld;
  beforeAll(async () => {
    w = await startKeycafeWorld({ speed: 30, sandbox: { mode } });
  });
  afterAll(() => w.close());

  const book = async (keyId: string, email: string) => {
    const res = await w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', {
      locationId: w.locationId,
      keyIds: [keyId],
      recipient: { email },
      type: 'one_time',
      start: { date: '2026-11-02', time: '09:00' },
      end: { date: '2026-11-03', time: '17:00' },
    });
    expect(res.status).toBe(201);
    return w.waitForBooking(res.body.id);
  };
  /** A create Keycafe acted on without our knowing: straight to the sandbox. */
  const stray = async (keyId: string, email: string) => {
    const res = await fetch(new URL('access', w.sandbox.url), {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${DEMO_KEYCAFE_EMAIL}/token:${DEMO_KEYCAFE_TOKEN}`).toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email }, key: { id: Number(keyId) }, accessStartDate: '2026-11-02', accessStartTime: '09:00', accessEndDate: '2026-11-03', accessEndTime: '17:00', timeZone: 'Europe/Berlin' }),
    });
    return String(((await res.json()) as { id: number }).id);
  };

  it('lists a duplicate created behind our back and cancels it on Keycafe', async () => {
    const booking = await book('10020', `sweep-${mode}@example.com`);
    expect(booking.state).toBe('active');
    const extra = await stray('10020', `sweep-${mode}@example.com`);
    // Same key, other visitor: not ours to touch.
    await stray('10020', `someone-else-${mode}@example.com`);
    const list = await w.api.json('GET', `/v1/locations/${w.locationId}/keycafe/untracked`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ keycafeAccessId: extra, keyId: '10020', bookingId: booking.id, adoptable: false, recipient: { email: `sweep-${mode}@example.com`, mobile: null } }),
    ]);
    const adopt = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/untracked/${extra}`, { action: 'adopt' });
    expect(adopt.status).toBe(409);
    const cancel = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/untracked/${extra}`, { action: 'cancel' });
    expect(cancel.body).toEqual({ done: 'cancelled' });
    expect(w.sandbox.state.account(DEMO_KEYCAFE_EMAIL).accesses.get(Number(extra))!.deletedAt).not.toBeNull();
    expect((await w.api.json('GET', `/v1/locations/${w.locationId}/keycafe/untracked`)).body.items).toEqual([]);
    // The tracked one is untouched.
    expect(w.sandbox.state.account(DEMO_KEYCAFE_EMAIL).accesses.get(Number(booking.accesses[0]!.keycafeAccessId))!.deletedAt).toBeNull();
  });

  it('a key whose create failed adopts the access Keycafe has for it', async () => {
    const booking = await book('10021', `adopt-${mode}@example.com`);
    const remoteId = booking.accesses[0]!.keycafeAccessId!;
    // As if every answer had been lost and the attempts ran out.
    await w.api.database.db
      .update(keycafeAccesses)
      .set({ keycafeAccessId: null, state: 'failed', reason: 'Keycafe: no answer' })
      .where(and(eq(keycafeAccesses.bookingId, booking.id), eq(keycafeAccesses.keyId, '10021')));
    const list = await w.api.json('GET', `/v1/locations/${w.locationId}/keycafe/untracked`);
    expect(list.body.items).toEqual([expect.objectContaining({ keycafeAccessId: remoteId, adoptable: true })]);
    const adopt = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/untracked/${remoteId}`, { action: 'adopt' });
    expect(adopt.body).toEqual({ done: 'adopted' });
    const after = await w.api.json<KeycafeBooking>('GET', `/v1/keycafe/bookings/${booking.id}`);
    expect(after.body).toMatchObject({ state: 'active', accesses: [{ keycafeAccessId: remoteId, state: 'active' }] });
    const unknown = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/untracked/123`, { action: 'cancel' });
    expect(unknown.status).toBe(404);
  });
});
