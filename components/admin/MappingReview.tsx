import { useSignal } from '@preact/signals';
import { useEffect, useId, useMemo, useRef } from 'preact/hooks';
import type { FileFormat, ImportReport } from '../../lib/mapping-file.ts';
import type { Confidence, Correction, MappingProposal, NamingRule, ProposalRow, RuleReport } from '../../lib/mapping-proposal-schema.ts';
import { confidenceLevels } from '../../lib/mapping-proposal-schema.ts';
import type { LockChoice } from '../../lib/messages.ts';
import { lockChoices } from '../mapping/lock-choices.ts';
import { Picker } from '../Picker.tsx';
import { ImportReportTable } from '../options/ImportReportTable.tsx';
import { saveDownload } from '../options/MappingFilesSection.tsx';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi, type Translate } from '../ui-context.ts';
import type { ApplyRow, MappingProposalApi, ProposalFile } from './mapping-proposal-api.ts';

export interface MappingReviewProps {
  api: MappingProposalApi;
  locationId: string;
  /** Saves a downloaded file (default: a temporary link clicked, as the options page does). */
  download?: (file: ProposalFile) => void;
}

/** A group of thousands of rows is for filtering, not scrolling: this many show until asked. */
export const ROWS_PER_GROUP = 200;

type SortKey = 'unit' | 'lock' | 'score';
type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; proposal: MappingProposal };
type MappedTo = { externalId: string; name: string };

const natural = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
const lockName = (lock: { id: string; title: string } | null) => (lock ? lock.title || lock.id : '');
const parts = (tokens: string[]) => tokens.map((x) => x.toUpperCase()).join(' · ');

/** A learnt rule in the user's language. */
export function ruleText(t: Translate, rule: NamingRule): string {
  switch (rule.kind) {
    case 'code_before':
    case 'code_after':
      return t(`proposal.rule.${rule.kind}`, { examples: rule.examples.map((e) => `“${e}”`).join(', ') || rule.shape });
    case 'word':
      return t('proposal.rule.word', { unit: rule.unit, lock: rule.lock });
    case 'number_offset':
      return t('proposal.rule.number_offset', { offset: rule.offset });
  }
}

function Evidence({ row, rules }: { row: ProposalRow; rules: RuleReport[] }) {
  const { t } = useUi();
  const lines = [t(`proposal.reason.${row.reason}`)];
  const e = row.evidence;
  if (e && row.lock) {
    if (e.matched.length) lines.push(t('proposal.evidence.matched', { parts: parts(e.matched) }));
    for (const a of e.approximate) lines.push(t(`proposal.evidence.${a.how}`, { lock: a.lock, unit: a.unit }));
    if (e.unitOnly.length) lines.push(t('proposal.evidence.missing', { parts: parts(e.unitOnly) }));
    if (e.lockOnly.length) lines.push(t('proposal.evidence.extra', { parts: parts(e.lockOnly) }));
    for (const i of e.rules) if (rules[i]) lines.push(t('proposal.evidence.rule', { rule: ruleText(t, rules[i]!.rule) }));
  }
  if (!row.lock && row.alternatives.length) lines.push(t('proposal.candidates', { locks: row.alternatives.map((a) => lockName(a.lock)).join(', ') }));
  return (
    <ul class="ab-evidence">
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

/**
 * The whole site's proposed mapping on one screen: rows grouped by confidence, sortable and
 * filterable, each with its evidence and a tick; "accept all high-confidence"; one row's lock
 * changed with the lock picker (a correction: the rest is proposed again with what it
 * teaches); rows skipped; a summary of what applying creates, replaces (only with the row's
 * own tick) and leaves unmapped; a check (the import's dry run) before the all-or-nothing apply.
 */
export function MappingReview({ api, locationId, download = saveDownload }: MappingReviewProps) {
  const { t } = useUi();
  const load = useSignal<Load>({ status: 'loading' });
  const busy = useSignal<null | 'recompute' | 'check' | 'apply' | 'download'>(null);
  const notice = useSignal<Notice | null>(null);
  const report = useSignal<ImportReport | null>(null);
  /** The selection a dry run passed for: applying needs that very selection. */
  const checkedFor = useSignal<string | null>(null);
  const corrections = useSignal<Map<string, string | null>>(new Map());
  /** Units whose corrected lock is mapped to another unit now (a replace). */
  const mappedElsewhere = useSignal<Map<string, MappedTo>>(new Map());
  /** Ticked rows: unit id → the lock ticked (a recomputed row with another lock is not ticked). */
  const ticked = useSignal<Map<string, string>>(new Map());
  const replaceTicked = useSignal<Set<string>>(new Set());
  const sort = useSignal<{ key: SortKey; dir: 1 | -1 }>({ key: 'unit', dir: 1 });
  const filterText = useSignal('');
  const filterLevel = useSignal<'all' | Confidence>('all');
  const expanded = useSignal<Set<Confidence>>(new Set());
  const picking = useSignal<ProposalRow | null>(null);
  const locks = useSignal<LockChoice[] | null>(null);
  const pickerInput = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLElement>(null);
  /** After the picker closes, focus goes back to the row's "Change lock" button. */
  const returnFocus = useSignal<string | null>(null);
  const ids = { heading: useId(), filter: useId(), level: useId(), rules: useId(), summary: useId(), picker: useId() };

  const correctionList = (): Correction[] => [...corrections.value].map(([unitId, lockId]) => ({ unitId, lockId }));

  async function propose(kind: 'loading' | 'recompute') {
    if (kind === 'loading') load.value = { status: 'loading' };
    busy.value = kind === 'recompute' ? 'recompute' : null;
    if (kind === 'recompute') notice.value = { tone: 'info', text: t('proposal.recomputing') };
    try {
      const proposal = await api.propose(locationId, correctionList());
      load.value = { status: 'ready', proposal };
      if (kind === 'recompute') notice.value = null;
    } catch (error) {
      if (kind === 'loading') load.value = { status: 'error', message: (error as Error).message };
      else notice.value = { tone: 'error', text: (error as Error).message };
    } finally {
      busy.value = null;
    }
  }

  useEffect(() => {
    void propose('loading');
  }, [api, locationId]);

  const proposal = load.value.status === 'ready' ? load.value.proposal : null;
  const allRows = useMemo(() => (proposal ? proposal.groups.flatMap((g) => g.rows) : []), [proposal]);

  const isTicked = (row: ProposalRow) => !!row.lock && ticked.value.get(row.unit.id) === row.lock.id;
  const replaceOf = (row: ProposalRow) => (row.lock && corrections.value.get(row.unit.id) === row.lock.id ? mappedElsewhere.value.get(row.unit.id) ?? null : null);

  const selection = allRows.filter(isTicked);
  const applicable = selection.filter((r) => !replaceOf(r) || replaceTicked.value.has(r.unit.id));
  const needsTick = selection.length - applicable.length;
  const replaces = applicable.filter((r) => replaceOf(r)).length;
  const selectionKey = applicable.map((r) => `${r.unit.id}:${r.lock!.id}:${replaceTicked.value.has(r.unit.id)}`).join(',');

  function setTick(row: ProposalRow, on: boolean) {
    const next = new Map(ticked.value);
    if (on && row.lock) next.set(row.unit.id, row.lock.id);
    else next.delete(row.unit.id);
    ticked.value = next;
  }

  function setReplace(unitId: string, on: boolean) {
    const next = new Set(replaceTicked.value);
    if (on) next.add(unitId);
    else next.delete(unitId);
    replaceTicked.value = next;
  }

  function acceptHigh() {
    const next = new Map(ticked.value);
    for (const r of proposal?.groups.find((g) => g.confidence === 'high')?.rows ?? []) if (r.lock) next.set(r.unit.id, r.lock.id);
    ticked.value = next;
  }

  async function correct(row: ProposalRow, lock: LockChoice | null) {
    const next = new Map(corrections.value);
    next.set(row.unit.id, lock ? lock.id : null);
    corrections.value = next;
    const elsewhere = new Map(mappedElsewhere.value);
    if (lock?.mappedTo && lock.mappedTo.externalId !== row.unit.externalId) elsewhere.set(row.unit.id, lock.mappedTo);
    else elsewhere.delete(row.unit.id);
    mappedElsewhere.value = elsewhere;
    if (lock) ticked.value = new Map(ticked.value).set(row.unit.id, lock.id);
    else setTick(row, false);
    if (picking.value) returnFocus.value = row.unit.id;
    picking.value = null;
    await propose('recompute');
  }

  async function undo(row: ProposalRow) {
    const next = new Map(corrections.value);
    next.delete(row.unit.id);
    corrections.value = next;
    setTick(row, false);
    setReplace(row.unit.id, false);
    await propose('recompute');
  }

  async function openPicker(row: ProposalRow) {
    picking.value = row;
    if (!locks.value) {
      try {
        locks.value = await api.locks();
      } catch (error) {
        picking.value = null;
        notice.value = { tone: 'error', text: (error as Error).message };
      }
    }
  }

  useEffect(() => {
    if (picking.value && locks.value) pickerInput.current?.focus();
  }, [picking.value, locks.value]);

  useEffect(() => {
    if (!returnFocus.value || picking.value || busy.value) return;
    const button = root.current?.querySelector<HTMLButtonElement>(`button[data-change="${returnFocus.value}"]`);
    if (button) {
      button.focus();
      returnFocus.value = null;
    }
  });

  async function downloadAs(format: FileFormat) {
    busy.value = 'download';
    try {
      const file = await api.download(locationId, format, correctionList());
      download(file);
      notice.value = { tone: 'success', text: t('proposal.downloaded', { file: file.fileName }) };
    } catch (error) {
      notice.value = { tone: 'error', text: (error as Error).message };
    } finally {
      busy.value = null;
    }
  }

  const applyRows = (): ApplyRow[] => applicable.map((r) => ({ unitId: r.unit.id, lockId: r.lock!.id, replace: replaceTicked.value.has(r.unit.id) }));

  async function run(dryRun: boolean) {
    if (!applicable.length) {
      notice.value = { tone: 'error', text: t('proposal.nothingTicked') };
      return;
    }
    busy.value = dryRun ? 'check' : 'apply';
    notice.value = { tone: 'info', text: t(dryRun ? 'proposal.checking' : 'proposal.applying') };
    try {
      const result = await api.apply(locationId, applyRows(), dryRun);
      const { totals } = result.report;
      if (result.rejected || totals.error > 0) {
        report.value = result.report;
        checkedFor.value = null;
        notice.value = { tone: 'error', text: t('proposal.checkFailed', { count: totals.error }) };
      } else if (dryRun) {
        report.value = null;
        checkedFor.value = selectionKey;
        notice.value = { tone: 'success', text: t('proposal.checked', { create: totals.create, replace: totals.replace, unchanged: totals.unchanged }) };
      } else {
        report.value = null;
        checkedFor.value = null;
        corrections.value = new Map();
        mappedElsewhere.value = new Map();
        ticked.value = new Map();
        replaceTicked.value = new Set();
        locks.value = null;
        await propose('loading');
        notice.value = { tone: 'success', text: t('proposal.applied', { count: totals.create + totals.replace }) };
      }
    } catch (error) {
      notice.value = { tone: 'error', text: (error as Error).message };
    } finally {
      busy.value = null;
    }
  }

  if (load.value.status === 'loading')
    return (
      <section class="ab-mapping-review" aria-labelledby={ids.heading} aria-busy="true">
        <h2 id={ids.heading}>{t('proposal.heading')}</h2>
        <p role="status">{t('proposal.loading')}</p>
      </section>
    );
  if (load.value.status === 'error')
    return (
      <section class="ab-mapping-review" aria-labelledby={ids.heading}>
        <h2 id={ids.heading}>{t('proposal.heading')}</h2>
        <p role="alert">{load.value.message}</p>
        <button type="button" onClick={() => void propose('loading')}>
          {t('proposal.retry')}
        </button>
      </section>
    );

  const p = load.value.proposal;
  const query = filterText.value.trim().toLowerCase();
  const visible = (r: ProposalRow) =>
    (filterLevel.value === 'all' || r.confidence === filterLevel.value) &&
    (!query || r.unit.name.toLowerCase().includes(query) || r.unit.externalId.toLowerCase().includes(query) || lockName(r.lock).toLowerCase().includes(query));
  const { key, dir } = sort.value;
  const compare = (a: ProposalRow, b: ProposalRow) =>
    dir * (key === 'unit' ? natural(a.unit.name, b.unit.name) : key === 'lock' ? natural(lockName(a.lock), lockName(b.lock)) : a.score - b.score) || natural(a.unit.name, b.unit.name);
  const groups = p.groups.filter((g) => g.rows.length).map((g) => ({ ...g, shown: g.rows.filter(visible).sort(compare) }));
  const shownCount = groups.reduce((n, g) => n + g.shown.length, 0);
  const highCount = p.groups.find((g) => g.confidence === 'high')?.rows.filter((r) => r.lock).length ?? 0;
  const disabled = busy.value !== null;

  const sortHeader = (column: SortKey, label: string) => (
    <th scope="col" aria-sort={key === column ? (dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" title={t('proposal.sort', { column: label })} onClick={() => (sort.value = { key: column, dir: key === column ? (dir === 1 ? -1 : 1) : column === 'score' ? -1 : 1 })}>
        {label}
      </button>
    </th>
  );

  const row = (r: ProposalRow) => {
    const mapped = replaceOf(r);
    const lock = lockName(r.lock) || t('proposal.noLock');
    const corrected = corrections.value.has(r.unit.id);
    return (
      <tr key={r.unit.id} class={`ab-row ab-${r.confidence}`}>
        <td>
          <input type="checkbox" aria-label={t('proposal.accept', { unit: r.unit.name, lock })} disabled={!r.lock || disabled} checked={isTicked(r)} onChange={(e) => setTick(r, (e.currentTarget as HTMLInputElement).checked)} />
        </td>
        <th scope="row">
          {r.unit.name} <span class="ab-muted">{r.unit.externalId}</span>
        </th>
        <td>
          {lock}
          {mapped ? (
            <label class="ab-replace">
              <input type="checkbox" checked={replaceTicked.value.has(r.unit.id)} disabled={disabled} onChange={(e) => setReplace(r.unit.id, (e.currentTarget as HTMLInputElement).checked)} />
              {t('proposal.replace', { unit: mapped.name })}
            </label>
          ) : null}
          {mapped && isTicked(r) && !replaceTicked.value.has(r.unit.id) ? <p class="ab-hint">{t('proposal.replaceNeeded', { unit: mapped.name })}</p> : null}
        </td>
        <td>
          <Evidence row={r} rules={p.rules} />
        </td>
        <td>{r.lock ? Math.round(r.score * 100) : '—'}</td>
        <td class="ab-actions">
          <button type="button" data-change={r.unit.id} disabled={disabled} onClick={() => void openPicker(r)}>
            {t('proposal.change', { unit: r.unit.name })}
          </button>
          {corrected ? (
            <button type="button" disabled={disabled} onClick={() => void undo(r)}>
              {t('proposal.undo', { unit: r.unit.name })}
            </button>
          ) : (
            <button type="button" disabled={disabled} onClick={() => void correct(r, null)}>
              {t('proposal.skip', { unit: r.unit.name })}
            </button>
          )}
        </td>
      </tr>
    );
  };

  return (
    <section ref={root} class="ab-mapping-review" aria-labelledby={ids.heading} aria-busy={busy.value === 'recompute'}>
      <h2 id={ids.heading}>{t('proposal.heading')}</h2>
      <p>{t('proposal.intro')}</p>
      <StatusMessage notice={notice.value} />
      {!allRows.length ? <p>{t('proposal.empty')}</p> : null}

      {p.rules.length ? (
        <section aria-labelledby={ids.rules}>
          <h3 id={ids.rules}>{t('proposal.rules.heading')}</h3>
          <ul>
            {p.rules.map((r, i) => (
              <li key={i}>
                {t('proposal.rules.used', { rule: ruleText(t, r.rule), count: r.used })} — {t(`proposal.rules.source.${r.source}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {allRows.length ? (
        <>
          <div class="ab-toolbar">
            <button type="button" disabled={disabled || !highCount} onClick={acceptHigh}>
              {t('proposal.acceptHigh', { count: highCount })}
            </button>
            <button type="button" disabled={disabled || !ticked.value.size} onClick={() => (ticked.value = new Map())}>
              {t('proposal.clearAll')}
            </button>
            <label for={ids.filter}>{t('proposal.filter.text')}</label>
            <input id={ids.filter} type="search" value={filterText.value} onInput={(e) => (filterText.value = (e.currentTarget as HTMLInputElement).value)} />
            <label for={ids.level}>{t('proposal.filter.confidence')}</label>
            <select id={ids.level} value={filterLevel.value} onChange={(e) => (filterLevel.value = (e.currentTarget as HTMLSelectElement).value as 'all' | Confidence)}>
              <option value="all">{t('proposal.filter.all')}</option>
              {confidenceLevels.map((c) => (
                <option key={c} value={c}>
                  {t(`proposal.group.${c}`, { count: p.groups.find((g) => g.confidence === c)!.rows.length })}
                </option>
              ))}
            </select>
            <p class="ab-muted">{t('proposal.filter.shown', { shown: shownCount, total: allRows.length })}</p>
          </div>

          {picking.value ? (
            <section aria-labelledby={ids.picker} class="ab-picker-panel">
              <h3 id={ids.picker}>{t('proposal.picker.heading', { unit: picking.value.unit.name })}</h3>
              {locks.value ? (
                <Picker
                  kind="lock"
                  items={lockChoices(locks.value, picking.value.unit.externalId, t)}
                  target={picking.value.unit.name}
                  sortByMatch
                  busyId={null}
                  inputRef={pickerInput}
                  onPick={(choice) => void correct(picking.value!, choice.lock)}
                />
              ) : (
                <p role="status">{t('proposal.picker.loading')}</p>
              )}
              <button
                type="button"
                onClick={() => {
                  returnFocus.value = picking.value!.unit.id;
                  picking.value = null;
                }}
              >
                {t('proposal.picker.cancel')}
              </button>
            </section>
          ) : null}

          <table class="ab-proposal">
            <thead>
              <tr>
                <th scope="col">{t('proposal.col.accept')}</th>
                {sortHeader('unit', t('proposal.col.unit'))}
                {sortHeader('lock', t('proposal.col.lock'))}
                <th scope="col">{t('proposal.col.evidence')}</th>
                {sortHeader('score', t('proposal.col.score'))}
                <th scope="col">{t('proposal.col.actions')}</th>
              </tr>
            </thead>
            {groups.map((g) => {
              const all = expanded.value.has(g.confidence);
              const rows = all ? g.shown : g.shown.slice(0, ROWS_PER_GROUP);
              return (
                <tbody key={g.confidence} class={`ab-group ab-${g.confidence}`}>
                  <tr>
                    <th scope="rowgroup" colSpan={6}>
                      {t(`proposal.group.${g.confidence}`, { count: g.rows.length })}
                    </th>
                  </tr>
                  {rows.map(row)}
                  {g.shown.length > rows.length ? (
                    <tr>
                      <td colSpan={6}>
                        <button type="button" onClick={() => (expanded.value = new Set(expanded.value).add(g.confidence))}>
                          {t('proposal.more', { count: g.shown.length })}
                        </button>
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              );
            })}
          </table>

          <section aria-labelledby={ids.summary} class="ab-summary">
            <h3 id={ids.summary}>{t('proposal.summary.heading')}</h3>
            <ul>
              <li>{t('proposal.summary.create', { count: applicable.length - replaces })}</li>
              <li>{t('proposal.summary.replace', { count: replaces })}</li>
              {needsTick ? <li>{t('proposal.summary.needsTick', { count: needsTick })}</li> : null}
              <li>{t('proposal.summary.unmapped', { count: allRows.length - applicable.length })}</li>
            </ul>
            <div class="ab-toolbar">
              <button type="button" disabled={disabled || !applicable.length} onClick={() => void run(true)}>
                {t('proposal.check', { count: applicable.length })}
              </button>
              <button type="button" disabled={disabled || !applicable.length || checkedFor.value !== selectionKey} onClick={() => void run(false)}>
                {t('proposal.apply', { count: applicable.length })}
              </button>
              <button type="button" disabled={disabled} onClick={() => void downloadAs('csv')}>
                {t('proposal.download.csv')}
              </button>
              <button type="button" disabled={disabled} onClick={() => void downloadAs('xlsx')}>
                {t('proposal.download.xlsx')}
              </button>
            </div>
          </section>
          {report.value ? <ImportReportTable report={report.value} /> : null}
        </>
      ) : null}
    </section>
  );
}
