// @vitest-environment happy-dom
/**
 * The mapping review screen by role and accessible name, over a fake port whose proposals are
 * the real engine's (lib/mapping-proposal.ts) on a small site: accept all high-confidence,
 * sort and filter, correct a row with the lock picker (and see the naming it teaches), skip,
 * a replace only with its own tick, check then apply, a refused apply, download, errors.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MappingReview } from '../../components/admin/MappingReview.tsx';
import { MappingProposalApiError, type ApplyRow, type MappingProposalApi } from '../../components/admin/mapping-proposal-api.ts';
import { createMessageMappingProposalApi } from '../../components/admin/mapping-proposal-message-api.ts';
import type { ImportReport } from '../../lib/mapping-file.ts';
import { proposeMapping } from '../../lib/mapping-proposal.ts';
import type { Correction } from '../../lib/mapping-proposal-schema.ts';
import { BridgeRequestError, type AnyMessageInput, type LockChoice } from '../../lib/messages.ts';
import { translate } from '../../lib/i18n/index.ts';
import { renderWithUi } from '../manager-ext/render.tsx';

afterEach(cleanup);

const LOCATION = '6f1b2c9e-1111-4222-8333-944455556666';
const id = (kind: 'u' | 'l', n: number) => `${kind === 'u' ? 'aaaaaaaa' : 'bbbbbbbb'}-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface World {
  units: { id: string; externalId: string; name: string }[];
  locks: LockChoice[];
}

/** A-01 … A-06 with their locks, A-07 with two locks of one title (a tie), a shared door, and B-01 already mapped. */
function demoWorld(): World {
  const units = Array.from({ length: 7 }, (_, i) => ({ id: id('u', i + 1), externalId: `U${i + 1}`, name: `A-0${i + 1}` }));
  const locks: LockChoice[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: id('l', i + 1), title: i % 2 ? `A0${i + 1} door` : `Unit A-0${i + 1}`, source: 'tapkey' as const, mappedTo: null })),
    { id: id('l', 7), title: 'Storage A-07', source: 'tapkey', mappedTo: null },
    { id: id('l', 8), title: 'Storage A-07', source: 'tapkey', mappedTo: null },
    { id: id('l', 9), title: 'Main entrance', source: 'tapkey', mappedTo: null },
    { id: id('l', 10), title: 'B01 door', source: 'captured', mappedTo: { externalId: 'U100', name: 'B-01' } },
  ];
  return { units, locks };
}

function fakeApi(world: World, over: Partial<MappingProposalApi> = {}) {
  const calls = { propose: [] as Correction[][], apply: [] as { rows: ApplyRow[]; dryRun: boolean }[], download: [] as unknown[] };
  const api: MappingProposalApi = {
    async propose(locationId, corrections) {
      expect(locationId).toBe(LOCATION);
      calls.propose.push(corrections);
      const free = world.locks.filter((l) => !l.mappedTo || corrections.some((c) => c.lockId === l.id));
      return proposeMapping({ locationId, units: world.units, locks: free.map((l) => ({ id: l.id, title: l.title })), corrections });
    },
    async download(locationId, format, corrections) {
      calls.download.push({ locationId, format, corrections });
      return { fileName: `proposal.${format}`, contentType: 'text/csv', base64: 'QQ==' };
    },
    async apply(_locationId, rows, dryRun) {
      calls.apply.push({ rows, dryRun });
      const report: ImportReport = {
        format: 'csv',
        dryRun,
        replace: rows.some((r) => r.replace),
        applied: !dryRun,
        importId: dryRun ? null : 'imp-1',
        totals: { rows: rows.length, create: rows.filter((r) => !r.replace).length, unchanged: 0, replace: rows.filter((r) => r.replace).length, error: 0 },
        rows: [],
      };
      if (!dryRun) {
        for (const r of rows) world.units = world.units.filter((u) => u.id !== r.unitId);
        world.locks = world.locks.filter((l) => !rows.some((r) => r.lockId === l.id));
      }
      return { report, rejected: false };
    },
    async locks() {
      return world.locks;
    },
    ...over,
  };
  return { api, calls };
}

function mount(world = demoWorld(), over: Partial<MappingProposalApi> = {}, lang: 'en' | 'de' = 'en') {
  const { api, calls } = fakeApi(world, over);
  const download = vi.fn();
  renderWithUi(<MappingReview api={api} locationId={LOCATION} download={download} />, () => undefined, lang);
  return { api, calls, download, world };
}

const ready = () => screen.findByRole('button', { name: /Accept all high-confidence/ });
const group = (name: RegExp) => screen.getAllByRole('rowgroup').find((g) => within(g).queryByRole('rowheader', { name }) || within(g).queryByText(name))!;
const unitOrder = () => screen.getAllByRole('row').flatMap((r) => within(r).queryAllByRole('rowheader').map((h) => h.textContent!.split(' ')[0]!)).filter((x) => /^A-/.test(x));
const accept = (unit: string) => screen.getByRole('checkbox', { name: new RegExp(`^Accept ${unit} → `) }) as HTMLInputElement;

describe('MappingReview', () => {
  it('groups the rows by confidence, accepts all high-confidence at once and sums up what applying does', async () => {
    mount();
    await ready();
    expect(screen.getByRole('heading', { name: 'Map the whole site' })).toBeTruthy();
    expect(within(group(/High confidence \(6\)/)).getAllByRole('checkbox')).toHaveLength(6);
    // The tie is left for a person, with its candidates.
    const low = group(/Left for you \(1\)/);
    expect(within(low).getByText('Several locks fit equally well')).toBeTruthy();
    expect(within(low).getByText('Candidates: Storage A-07, Storage A-07')).toBeTruthy();
    expect((within(low).getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
    // Evidence: the matched parts.
    expect(within(group(/High confidence/)).getAllByText('matches A · 1').length).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Accept all high-confidence (6)' }));
    for (let i = 1; i <= 6; i++) expect(accept(`A-0${i}`).checked).toBe(true);
    expect(screen.getByText('6 new mappings')).toBeTruthy();
    expect(screen.getByText('1 units stay unmapped')).toBeTruthy();
    fireEvent.click(accept('A-03'));
    expect(screen.getByText('5 new mappings')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Untick all' }));
    expect(screen.getByText('0 new mappings')).toBeTruthy();
  });

  it('sorts by a column and filters by text and confidence', async () => {
    mount();
    await ready();
    expect(unitOrder()).toEqual(['A-01', 'A-02', 'A-03', 'A-04', 'A-05', 'A-06', 'A-07']);
    const unitSort = screen.getByRole('button', { name: 'Unit' });
    fireEvent.click(unitSort);
    expect(unitSort.closest('th')!.getAttribute('aria-sort')).toBe('descending');
    expect(unitOrder()).toEqual(['A-06', 'A-05', 'A-04', 'A-03', 'A-02', 'A-01', 'A-07']);
    fireEvent.input(screen.getByRole('searchbox', { name: 'Filter by unit or lock' }), { target: { value: 'door' } });
    expect(unitOrder()).toEqual(['A-06', 'A-04', 'A-02']);
    expect(screen.getByText('3 of 7 rows shown')).toBeTruthy();
    fireEvent.input(screen.getByRole('searchbox', { name: 'Filter by unit or lock' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Show' }), { target: { value: 'low' } });
    expect(unitOrder()).toEqual(['A-07']);
  });

  it('changes one row’s lock with the lock picker, proposes again with the correction and ticks the row', async () => {
    const { calls } = mount();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: 'Change lock of A-07' }));
    const picker = await screen.findByRole('region', { name: 'Choose the lock for unit A-07' });
    await waitFor(() => expect(document.activeElement).toBe(within(picker).getByRole('searchbox', { name: 'Search locks' })));
    // The picker suggests the locks titled like the unit first.
    const suggested = within(picker).getByRole('region', { name: 'Suggested for this unit' });
    fireEvent.click(within(suggested).getAllByRole('button', { name: /Storage A-07/ })[0]!);
    await waitFor(() => expect(calls.propose).toHaveLength(2));
    expect(calls.propose[1]).toEqual([{ unitId: id('u', 7), lockId: id('l', 7) }]);
    const chosen = await waitFor(() => group(/Chosen by you \(1\)/));
    expect(within(chosen).getByText('Chosen by you')).toBeTruthy();
    expect(accept('A-07').checked).toBe(true);
    // Focus is back on the row's own button once the proposal is in.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Change lock of A-07' })));
    // Undo gives the row back to the proposal.
    fireEvent.click(screen.getByRole('button', { name: 'Undo my choice for A-07' }));
    await waitFor(() => expect(calls.propose).toHaveLength(3));
    expect(calls.propose[2]).toEqual([]);
  });

  it('shows the naming a correction teaches and uses it for the rest', async () => {
    const world: World = {
      units: [1, 2, 3].flatMap((n) => [
        { id: id('u', n), externalId: `K${n}`, name: `Keller-${n}` },
        { id: id('u', 10 + n), externalId: `D${n}`, name: `Dach-${n}` },
      ]),
      locks: [1, 2, 3].flatMap((n) => [
        { id: id('l', n), title: `Basement ${n}`, source: 'tapkey' as const, mappedTo: null },
        { id: id('l', 10 + n), title: `Roof ${n}`, source: 'tapkey' as const, mappedTo: null },
      ]),
    };
    mount(world);
    await ready();
    expect(screen.getByRole('button', { name: 'Accept all high-confidence (0)' })).toBeTruthy();
    for (const [unit, lock] of [['Keller-1', 'Basement 1'], ['Dach-1', 'Roof 1']]) {
      fireEvent.click(screen.getByRole('button', { name: `Change lock of ${unit}` }));
      const picker = await screen.findByRole('region', { name: `Choose the lock for unit ${unit}` });
      fireEvent.click(within(within(picker).getByRole('region', { name: 'All locks' })).getByRole('button', { name: lock }));
      await screen.findByRole('button', { name: `Undo my choice for ${unit}` });
    }
    const rules = await screen.findByRole('region', { name: 'Naming learnt' });
    expect(within(rules).getByText('Lock titles write “keller” as “basement”. (used for 2 rows) — from your corrections')).toBeTruthy();
    await screen.findByRole('button', { name: 'Accept all high-confidence (4)' });
    expect(screen.getAllByText('by the learnt rule: Lock titles write “dach” as “roof”.')).toHaveLength(2);
  });

  it('skips a row: it stays unmapped and cannot be ticked', async () => {
    const { calls } = mount();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: 'Accept all high-confidence (6)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Skip A-02' }));
    await waitFor(() => expect(calls.propose.at(-1)).toEqual([{ unitId: id('u', 2), lockId: null }]));
    const chosen = await waitFor(() => group(/Chosen by you \(1\)/));
    expect(within(chosen).getByText('Skipped by you: stays unmapped')).toBeTruthy();
    expect((within(chosen).getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('5 new mappings')).toBeTruthy();
    expect(screen.getByText('2 units stay unmapped')).toBeTruthy();
  });

  it('never replaces without the row’s own tick', async () => {
    const { calls } = mount();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: 'Change lock of A-07' }));
    const picker = await screen.findByRole('region', { name: 'Choose the lock for unit A-07' });
    fireEvent.click(within(picker).getByRole('button', { name: /B01 door/ }));
    await screen.findByRole('button', { name: 'Undo my choice for A-07' });
    expect(screen.getByText('This lock is mapped to unit B-01. Tick “Replace” to move it.')).toBeTruthy();
    expect(screen.getByText('1 ticked rows need “Replace” ticked first')).toBeTruthy();
    expect(screen.getByText('0 locks moved from another unit')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Check 0 mappings' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Replace: move this lock from unit B-01' }));
    expect(screen.getByText('1 locks moved from another unit')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check 1 mappings' }));
    await waitFor(() => expect(calls.apply).toHaveLength(1));
    expect(calls.apply[0]).toEqual({ dryRun: true, rows: [{ unitId: id('u', 7), lockId: id('l', 10), replace: true }] });
  });

  it('checks first (a dry run), then applies exactly the checked rows and loads what is left', async () => {
    const { calls } = mount();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: 'Accept all high-confidence (6)' }));
    const apply = screen.getByRole('button', { name: 'Apply 6 mappings' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Check 6 mappings' }));
    await screen.findByText('Check passed: 6 new, 0 replaced, 0 unchanged. Nothing is written until you apply.');
    expect(calls.apply[0]!.dryRun).toBe(true);
    // Changing the selection after the check needs another check.
    fireEvent.click(accept('A-01'));
    expect((screen.getByRole('button', { name: 'Apply 5 mappings' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(accept('A-01'));
    fireEvent.click(screen.getByRole('button', { name: 'Apply 6 mappings' }));
    await screen.findByText('6 units mapped. Their tenants’ access follows.');
    expect(calls.apply[1]!.dryRun).toBe(false);
    expect(calls.apply[1]!.rows.map((r) => r.lockId)).toEqual([1, 2, 3, 4, 5, 6].map((n) => id('l', n)));
    expect(unitOrder()).toEqual(['A-07']);
  });

  it('shows the report when applying is refused and writes nothing', async () => {
    const rejected: ImportReport = {
      format: 'csv',
      dryRun: true,
      replace: false,
      applied: false,
      importId: null,
      totals: { rows: 1, create: 0, unchanged: 0, replace: 0, error: 1 },
      rows: [
        {
          row: 2,
          lockId: id('l', 1),
          unitName: 'A-01',
          action: 'error',
          unit: { externalId: 'U1', name: 'A-01' },
          lockWasMappedTo: null,
          unitWasMappedTo: null,
          problems: [{ code: 'conflict', message: 'x', params: { lockId: id('l', 1), unit: 'A-01 (U1)', lockMappedTo: 'A-09 (U9)', unitMappedTo: '' } }],
        },
      ],
    };
    mount(undefined, { apply: async () => ({ report: rejected, rejected: true }) });
    await ready();
    fireEvent.click(accept('A-01'));
    fireEvent.click(screen.getByRole('button', { name: 'Check 1 mappings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('1 rows cannot be applied. Nothing was written. See the report below.');
    const table = screen.getByRole('table', { name: translate('en', 'manager.files.report') });
    expect(within(table).getByText(/A-09 \(U9\)/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Apply 1 mappings' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('downloads the proposal with the corrections made so far', async () => {
    const { calls, download } = mount();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: 'Skip A-03' }));
    await screen.findByRole('button', { name: 'Undo my choice for A-03' });
    fireEvent.click(screen.getByRole('button', { name: 'Download the proposal (Excel)' }));
    await screen.findByText('Downloaded proposal.xlsx.');
    expect(calls.download).toEqual([{ locationId: LOCATION, format: 'xlsx', corrections: [{ unitId: id('u', 3), lockId: null }] }]);
    expect(download).toHaveBeenCalledWith({ fileName: 'proposal.xlsx', contentType: 'text/csv', base64: 'QQ==' });
  });

  it('says what failed and offers to try again', async () => {
    let fail = true;
    const world = demoWorld();
    const real = fakeApi(world).api;
    mount(world, { propose: async (l, c) => (fail ? Promise.reject(new MappingProposalApiError('The AccessBridge API cannot be reached.')) : real.propose(l, c)) });
    expect((await screen.findByRole('alert')).textContent).toBe('The AccessBridge API cannot be reached.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await ready();
  });

  it('speaks the user’s language', async () => {
    mount(undefined, {}, 'de');
    await screen.findByRole('button', { name: 'Alle mit hoher Sicherheit übernehmen (6)' });
    expect(screen.getByRole('heading', { name: 'Den ganzen Standort zuordnen' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'A-01 → Unit A-01 übernehmen' })).toBeTruthy();
  });
});

describe('createMessageMappingProposalApi', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);

  it('asks the background with typed messages', async () => {
    const sent: AnyMessageInput[] = [];
    const send = (async (m: AnyMessageInput) => {
      sent.push(m);
      return m.type === 'listLocks' ? { items: [], total: 0, truncated: false } : {};
    }) as never;
    const api = createMessageMappingProposalApi(send, t);
    await api.propose(LOCATION, [{ unitId: id('u', 1), lockId: null }]);
    await api.download(LOCATION, 'csv', []);
    await api.apply(LOCATION, [{ unitId: id('u', 1), lockId: id('l', 1), replace: false }], true);
    expect(await api.locks()).toEqual([]);
    expect(sent).toEqual([
      { type: 'mappingProposal', locationId: LOCATION, corrections: [{ unitId: id('u', 1), lockId: null }] },
      { type: 'mappingProposalFile', locationId: LOCATION, format: 'csv', corrections: [] },
      { type: 'applyMappingProposal', locationId: LOCATION, rows: [{ unitId: id('u', 1), lockId: id('l', 1), replace: false }], dryRun: true },
      { type: 'listLocks' },
    ]);
  });

  it('turns a background error into the sentence the extension shows', async () => {
    const send = (async () => {
      throw new BridgeRequestError({ kind: 'unreachable', message: 'down', fieldErrors: [] });
    }) as never;
    const error = await createMessageMappingProposalApi(send, t).propose(LOCATION, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingProposalApiError);
    expect((error as Error).message).toBe(translate('en', 'ext.error.unreachable'));
  });
});
