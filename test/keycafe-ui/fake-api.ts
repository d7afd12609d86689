/**
 * An in-memory KeycafeApi for the dialog's component tests: keys in SmartBoxes in three time
 * zones and two accounts, bookings that move from pending to active (or failed) one poll at a
 * time, and switches to make any call fail the way the real adapters do.
 */
import { vi } from 'vitest';
import { KeycafeApiError, type KeycafeAccount, type KeycafeApi } from '../../components/keycafe/api.ts';
import type { FieldError, KeycafeBooking, KeycafeBookingInput, KeycafeKey } from '../../lib/contract.ts';

export const BERLIN_ACCOUNT = '6a0c1d52-3f0e-4d5e-9a1b-0c9d8e7f6a51';
export const NY_ACCOUNT = '7b1d2e63-4a1f-4e6f-8b2c-1d0e9f8a7b62';

const key = (id: string, name: string, serial: string, place: string, timeZone: string, account = BERLIN_ACCOUNT): KeycafeKey => ({
  id,
  name,
  serialNumber: serial,
  locationId: place === 'Berlin' ? '501' : place === 'Vancouver' ? '503' : '504',
  locationName: place === 'Berlin' ? 'Berlin Mitte – Storage reception' : place === 'Vancouver' ? 'Vancouver Yaletown SmartBox' : 'Brooklyn Navy Yard – Building 77',
  timeZone,
  accountLocationId: account,
});

export const KEYS: KeycafeKey[] = [
  key('10001', 'Unit A-01 – spare key', 'KC3A9EF7', 'Berlin', 'Europe/Berlin'),
  key('10002', 'Unit A-02 – spare key', 'KC3ABD46', 'Berlin', 'Europe/Berlin'),
  key('10021', 'Main entrance master key', 'KC3B9A1C', 'Berlin', 'Europe/Berlin'),
  key('10030', 'Suite 1203 – guest set (2 keys + fob)', 'KC3C0F00', 'Vancouver', 'America/Vancouver'),
  key('10040', 'Roof access key', 'KC3D0000', 'Brooklyn', 'America/New_York', NY_ACCOUNT),
];

export const ACCOUNTS: KeycafeAccount[] = [
  { id: BERLIN_ACCOUNT, name: 'Berlin Mitte' },
  { id: NY_ACCOUNT, name: 'Brooklyn' },
];

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export interface FakeOptions {
  keys?: KeycafeKey[];
  accounts?: KeycafeAccount[];
  can?: { listBookings: boolean; cancel: boolean };
}

export type Outcome = { kind: 'active' } | { kind: 'failed'; reason: string };

export function createFakeApi(opts: FakeOptions = {}) {
  const keys = opts.keys ?? KEYS;
  const bookings = new Map<string, KeycafeBooking>();
  /** Per key id: what Keycafe answers for it (default: active). */
  const outcomes = new Map<string, Outcome[]>();
  const state = {
    /** Fails the next searchKeys calls with this message. */
    searchError: null as string | null,
    /** Resolves searches only when released (to see the loading state). */
    holdSearch: null as Promise<void> | null,
    createErrors: [] as KeycafeApiError[],
    /** Accesses that become settled per poll (to see per-key progress). */
    settlePerPoll: 1,
    /** After this many polls, further polls wait for `pollGate` (to look at a state in between). */
    pollGateAfter: 0,
    pollGate: null as Promise<void> | null,
    polls: 0,
    listed: [] as KeycafeBooking[],
  };

  const now = () => new Date().toISOString();

  function settleOne(b: KeycafeBooking) {
    let left = state.settlePerPoll;
    for (const a of b.accesses) {
      if (left === 0) break;
      if (a.state !== 'pending') continue;
      const outcome = outcomes.get(a.keyId)?.shift() ?? { kind: 'active' };
      left--;
      if (outcome.kind === 'active') Object.assign(a, { state: 'active', bookingCode: `C${a.keyId.slice(-3)}${b.id.slice(-2)}`, keycafeAccessId: `acc-${a.keyId}`, reason: null });
      else Object.assign(a, { state: 'failed', reason: outcome.reason });
    }
    const states = b.accesses.map((a) => a.state);
    b.state = states.includes('pending')
      ? 'pending'
      : states.every((s) => s === 'active')
        ? 'active'
        : states.every((s) => s === 'failed')
          ? 'failed'
          : 'partially_failed';
  }

  const api: KeycafeApi & { [K in 'accounts' | 'searchKeys' | 'createBooking' | 'getBooking' | 'listBookings' | 'cancelBooking' | 'retryBooking']: ReturnType<typeof vi.fn> } = {
    can: opts.can ?? { listBookings: true, cancel: true },
    accounts: vi.fn(async () => opts.accounts ?? ACCOUNTS),
    searchKeys: vi.fn(async ({ search, limit }: { search: string; limit: number }) => {
      if (state.holdSearch) await state.holdSearch;
      if (state.searchError) throw new KeycafeApiError(state.searchError, [], true);
      const q = search.toLowerCase();
      const all = keys.filter((k) => !q || k.name.toLowerCase().includes(q) || k.serialNumber?.toLowerCase().includes(q));
      return { items: all.slice(0, limit), total: all.length };
    }),
    createBooking: vi.fn(async (input: KeycafeBookingInput, _requestKey: string) => {
      const err = state.createErrors.shift();
      if (err) throw err;
      // Accesses sorted by key name, like the API's.
      const chosen = input.allKeys ? keys.filter((k) => k.accountLocationId === input.locationId) : keys.filter((k) => input.keyIds!.includes(k.id));
      const recipient = 'email' in input.recipient ? { email: input.recipient.email.toLowerCase(), mobile: null } : { email: null, mobile: input.recipient.mobile };
      const b: KeycafeBooking = {
        id: uuid(),
        locationId: input.locationId,
        type: input.type,
        allKeys: input.allKeys ?? false,
        recipient,
        locale: input.locale ?? 'en',
        name: input.name ?? null,
        timeZone: input.type === 'one_time' ? (chosen[0]?.timeZone ?? null) : null,
        startsAt: null,
        endsAt: null,
        returnReminder: input.returnReminder ?? false,
        reminderAt: null,
        reminder: null,
        start: input.start ?? null,
        end: input.end ?? null,
        requireVisitorId: input.requireVisitorId ?? false,
        visitors: input.visitors ?? 1,
        photoVerification: input.photoVerification ?? false,
        state: chosen.length ? 'pending' : 'active',
        accesses: [...chosen].sort((x, y) => x.name.localeCompare(y.name)).map((k) => ({ keyId: k.id, keyName: k.name, state: 'pending' as const, reason: null, keycafeAccessId: null, bookingCode: null, checkinLink: null, addedBySync: false, updatedAt: now() })),
        createdAt: now(),
        updatedAt: now(),
      };
      bookings.set(b.id, b);
      return structuredClone(b);
    }),
    getBooking: vi.fn(async (id: string) => {
      if (state.pollGate && state.polls++ >= state.pollGateAfter) await state.pollGate;
      const b = bookings.get(id);
      if (!b) throw new KeycafeApiError('Keycafe booking not found', [], false, 404);
      if (b.state === 'pending') settleOne(b);
      return structuredClone(b);
    }),
    listBookings: vi.fn(async ({ keyId, recipient }: { keyId?: string; recipient?: string }) => {
      const items = [...state.listed, ...bookings.values()].filter(
        (b) => (keyId && b.accesses.some((a) => a.keyId === keyId)) || (recipient && (b.recipient.email === recipient || b.recipient.mobile === recipient)),
      );
      return { items: structuredClone(items), total: items.length };
    }),
    cancelBooking: vi.fn(async (id: string) => {
      const b = bookings.get(id) ?? state.listed.find((x) => x.id === id);
      if (!b) throw new KeycafeApiError('Keycafe booking not found', [], false, 404);
      b.state = 'cancelling';
      for (const a of b.accesses) a.state = 'cancelling';
      return structuredClone(b);
    }),
    retryBooking: vi.fn(async (id: string) => {
      const b = bookings.get(id)!;
      for (const a of b.accesses) if (a.state === 'failed') Object.assign(a, { state: 'pending', reason: null });
      b.state = 'pending';
      return structuredClone(b);
    }),
  };

  return {
    api,
    state,
    bookings,
    /** What Keycafe answers for the next accesses of `keyId`, in order. */
    outcomesFor(keyId: string, ...list: Outcome[]) {
      outcomes.set(keyId, list);
    },
    fieldErrors(message: string, fieldErrors: FieldError[]) {
      state.createErrors.push(new KeycafeApiError(message, fieldErrors, false, 400));
    },
    networkError(message = 'Failed to fetch') {
      state.createErrors.push(new KeycafeApiError(message, [], true));
    },
  };
}

export type FakeApi = ReturnType<typeof createFakeApi>;
