// @vitest-environment happy-dom
/**
 * The unit page's controls and lock picker: sending the unit, the mapping line, "Map to Tapkey
 * lock" with the best title matches first and mapped locks marked, a conflict explained with
 * "Replace", a queued mapping, "Unmap", and errors with a way to retry.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { UnitControls } from '../../components/manager/UnitControls.tsx';
import type { Mapping } from '../../lib/contract.ts';
import type { AnyMessageInput, LockChoice } from '../../lib/messages.ts';
import { bridgeError, renderWithUi } from './render.tsx';

afterEach(cleanup);

const unit = { externalId: 'U1012', name: 'A-12', location: 'Berlin Mitte' };
const L = (n: number) => `ea610634-4fc0-4084-85b2-bebf52c3${String(n).padStart(4, '0')}`;
const LOCKS: LockChoice[] = [
  { id: L(1), title: 'Main entrance', source: 'tapkey', mappedTo: null },
  { id: L(2), title: 'A13 door', source: 'tapkey', mappedTo: { externalId: 'U1013', name: 'A-13' } },
  { id: L(3), title: 'Storage B-12', source: 'captured', mappedTo: null },
  { id: L(4), title: 'A12 door', source: 'captured', mappedTo: null },
];
const now = '2026-01-01T00:00:00.000Z';
const mappingTo = (lock: LockChoice, u = { externalId: unit.externalId, name: unit.name }): Mapping => ({
  unitId: '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1',
  lockId: lock.id,
  unit: { id: '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1', ...u, locationId: null, createdAt: now, updatedAt: now },
  lock: { id: lock.id, title: lock.title, source: lock.source, locationId: null, capturedUrl: null, createdAt: now, updatedAt: now },
  createdAt: now,
});

function backend(over: Partial<Record<AnyMessageInput['type'], (m: AnyMessageInput) => unknown>> = {}) {
  return (m: AnyMessageInput) => {
    const h = over[m.type];
    if (h) return h(m);
    switch (m.type) {
      case 'upsertUnit':
        return { unit: {} };
      case 'unitMapping':
        return { mapping: null };
      case 'listLocks':
        return { items: LOCKS, total: LOCKS.length, truncated: false };
      default:
        throw new Error(`unexpected ${m.type}`);
    }
  };
}

const mapButton = () => screen.findByRole('button', { name: 'Map to Tapkey lock' });

describe('unit controls', () => {
  it('sends the unit first, then says it is not mapped and offers "Map to Tapkey lock"', async () => {
    const { sent } = renderWithUi(<UnitControls unit={unit} />, backend());
    await screen.findByText('Unit A-12 is not mapped to a Tapkey lock yet.');
    expect(sent.slice(0, 2)).toEqual([
      { type: 'upsertUnit', unit },
      { type: 'unitMapping', unitExternalId: 'U1012' },
    ]);
    expect((await mapButton()).hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('button', { name: /^Unmap/ })).toBeNull();
  });

  it('shows the current lock with "Unmap", which removes the mapping', async () => {
    const { sent } = renderWithUi(
      <UnitControls unit={unit} />,
      backend({ unitMapping: () => ({ mapping: mappingTo(LOCKS[3]!) }), unmapUnit: () => ({ removed: true }) }),
    );
    await screen.findByText('Unit A-12 is mapped to Tapkey lock “A12 door”.');
    fireEvent.click(screen.getByRole('button', { name: 'Unmap unit A-12 from lock “A12 door”' }));
    await screen.findByText('Unit A-12 is no longer mapped to a lock.');
    expect(screen.getByText('Unit A-12 is not mapped to a Tapkey lock yet.')).toBeTruthy();
    expect(sent).toContainEqual({ type: 'unmapUnit', unitExternalId: 'U1012' });
  });

  it('says why the unit could not be sent, keeps the map button off, and retries', async () => {
    let fail = true;
    renderWithUi(
      <UnitControls unit={unit} />,
      backend({
        upsertUnit: () => {
          if (fail) throw bridgeError({ kind: 'unreachable', message: 'Failed to fetch' });
          return { unit: {} };
        },
      }),
    );
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(alert.textContent).toMatch(/^Unit A-12 could not be sent to AccessBridge: The AccessBridge API cannot be reached/));
    expect((await mapButton()).hasAttribute('disabled')).toBe(true);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByText('Unit A-12 is not mapped to a Tapkey lock yet.');
    expect((await mapButton()).hasAttribute('disabled')).toBe(false);
  });
});

describe('lock picker', () => {
  async function openPicker(reply = backend()) {
    const r = renderWithUi(<UnitControls unit={unit} />, reply);
    await screen.findByText('Unit A-12 is not mapped to a Tapkey lock yet.');
    fireEvent.click(await mapButton());
    const dialog = await screen.findByRole('dialog', { name: 'Map unit A-12 to a Tapkey lock' });
    await within(dialog).findByRole('searchbox', { name: 'Search locks' });
    return { ...r, dialog };
  }

  it('puts the best title matches first and marks locks mapped elsewhere and captured ones', async () => {
    const { dialog } = await openPicker();
    const suggested = within(dialog).getByRole('region', { name: 'Suggested for this unit' });
    expect(within(suggested).getAllByRole('button').map((b) => b.textContent)).toEqual(['A12 doorcaptured']);
    const all = within(dialog).getByRole('region', { name: 'All locks' });
    const names = within(all)
      .getAllByRole('button')
      .map((b) => b.querySelector('.ab-unit-name')!.textContent);
    expect(names[0]).toBe('A12 door');
    expect(names).toHaveLength(4);
    expect(within(all).getByRole('button', { name: /^A13 door/ }).textContent).toContain('mapped to A-13');
  });

  it('searches by title, also across spelling ("b12" finds "Storage B-12")', async () => {
    const { dialog } = await openPicker();
    fireEvent.input(within(dialog).getByRole('searchbox', { name: 'Search locks' }), { target: { value: 'b12' } });
    const all = within(dialog).getByRole('region', { name: 'All locks' });
    await waitFor(() => expect(within(all).getAllByRole('button').map((b) => b.querySelector('.ab-unit-name')!.textContent)).toEqual(['Storage B-12']));
    fireEvent.input(within(dialog).getByRole('searchbox', { name: 'Search locks' }), { target: { value: 'zzz' } });
    await within(dialog).findByText('No lock matches “zzz”.');
  });

  it('maps in one click and reports it', async () => {
    const { dialog, sent } = await openPicker(backend({ saveMapping: () => ({ status: 'saved', mapping: mappingTo(LOCKS[3]!) }) }));
    fireEvent.click(within(within(dialog).getByRole('region', { name: 'Suggested for this unit' })).getByRole('button', { name: /^A12 door/ }));
    await screen.findByText('Unit A-12 is now mapped to lock “A12 door”.');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('Unit A-12 is mapped to Tapkey lock “A12 door”.')).toBeTruthy();
    expect(sent).toContainEqual({ type: 'saveMapping', unitExternalId: 'U1012', unitName: 'A-12', lockId: L(4), replace: false });
  });

  it('explains a conflict and replaces on request', async () => {
    const taken = LOCKS[1]!;
    const { dialog, sent } = await openPicker(
      backend({
        saveMapping: (m) => {
          if (m.type === 'saveMapping' && !m.replace)
            throw bridgeError({
              kind: 'api',
              status: 409,
              code: 'conflict',
              message: 'Lock already mapped',
              conflict: { lockMappedTo: mappingTo(taken, { externalId: 'U1013', name: 'A-13' }), unitMappedTo: mappingTo(LOCKS[0]!) },
            });
          return { status: 'saved', mapping: mappingTo(taken) };
        },
      }),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: /^A13 door/ }));
    await within(dialog).findByText('Lock “A13 door” is already mapped to unit A-13.');
    expect(within(dialog).getByText(`Unit A-12 is already mapped to lock “Main entrance” (${L(1)}).`)).toBeTruthy();
    expect(within(dialog).getByText('Replace maps unit A-12 to lock “A13 door”; the previous mapping is removed.')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Replace' }));
    await screen.findByText('Unit A-12 is now mapped to lock “A13 door”.');
    expect(sent.filter((m) => m.type === 'saveMapping')).toEqual([
      { type: 'saveMapping', unitExternalId: 'U1012', unitName: 'A-12', lockId: L(2), replace: false },
      { type: 'saveMapping', unitExternalId: 'U1012', unitName: 'A-12', lockId: L(2), replace: true },
    ]);
  });

  it('says when the mapping is queued because the API is unreachable', async () => {
    const { dialog } = await openPicker(backend({ saveMapping: () => ({ status: 'queued', queueItemId: 'q1' }) }));
    fireEvent.click(within(dialog).getAllByRole('button', { name: /^A12 door/ })[0]!);
    await screen.findByText('The API cannot be reached. The mapping to lock “A12 door” is queued and will be sent when it is back.');
    expect(screen.getByText('Mapping to lock “A12 door” is waiting to be sent.')).toBeTruthy();
  });

  it('explains an empty lock list, and a failed one with "Retry"', async () => {
    let fail = true;
    const { dialog } = await (async () => {
      const r = renderWithUi(
        <UnitControls unit={unit} />,
        backend({
          listLocks: () => {
            if (fail) throw bridgeError({ kind: 'unauthorized', message: '401' });
            return { items: [], total: 0, truncated: false };
          },
        }),
      );
      await screen.findByText('Unit A-12 is not mapped to a Tapkey lock yet.');
      fireEvent.click(await mapButton());
      return { ...r, dialog: await screen.findByRole('dialog') };
    })();
    await within(dialog).findByText('The API refused the token (401). Check the API token in the extension options.');
    fail = false;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await within(dialog).findByText(/^No Tapkey locks are known yet/);
  });
});
