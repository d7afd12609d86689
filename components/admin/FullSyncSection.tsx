import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { SyncRun } from '../../lib/contract.ts';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { ConfirmPanel, currentLocation, NeedsLocation, Section, useAction, type AdminState } from './shared.tsx';
import { DataTable } from './DataTable.tsx';

/** How often a running sync run is read again. */
export const SYNC_POLL_MS = 1000;

type Unexplained = SyncRun['report']['unexplainedGrants']['items'][number];

/** Whether the run still changes: its grants, the scan for unexplained grants, or revocations under way. */
export function syncRunSettled(run: SyncRun): boolean {
  const u = run.report.unexplainedGrants;
  return run.state === 'done' && u.scan !== 'pending' && !u.items.some((i) => i.state === 'revoking');
}

/** The people a set of grants belongs to (by email; a grant without one counts as its own person). */
export function peopleOf(grants: Unexplained[]): number {
  return new Set(grants.map((g) => g.email?.toLowerCase() ?? `grant:${g.tapkeyGrantId}`)).size;
}

/**
 * Full sync: start it, watch its progress (the run lives in the API: closing the page does not
 * stop it, and opening it again shows the latest run where it is), then its report as tables,
 * each row with its action, and revocation of the unexplained grants selected.
 */
export function FullSyncSection({ state }: { state: AdminState }) {
  const { t } = useUi();
  return (
    <Section id="full-sync" title={t('admin.fullSync.heading')}>
      <NeedsLocation state={state}>{(location) => <FullSync key={location.id} state={state} locationId={location.id} />}</NeedsLocation>
    </Section>
  );
}

function FullSync({ state, locationId }: { state: AdminState; locationId: string }) {
  const { t, send } = useUi();
  const { busy, notice, run } = useAction();
  const syncRun = useSignal<SyncRun | null>(null);
  const selected = useSignal<string[]>([]);
  const confirming = useSignal(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const progressId = useId();
  const location = currentLocation(state);

  function schedule(r: SyncRun) {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!syncRunSettled(r)) timer.current = setTimeout(() => void poll(r.id), SYNC_POLL_MS);
  }

  async function poll(runId: string) {
    try {
      const { run: r } = await send({ type: 'adminSyncRun', runId });
      syncRun.value = r;
      selected.value = selected.value.filter((id) => r.report.unexplainedGrants.items.some((i) => i.tapkeyGrantId === id && selectable(i)));
      schedule(r);
    } catch {
      // A failed read (API briefly away) tries again; the run goes on in the API meanwhile.
      timer.current = setTimeout(() => void poll(runId), SYNC_POLL_MS * 3);
    }
  }

  useEffect(() => {
    void (async () => {
      const latest = await run('latest', () => send({ type: 'adminLatestSync', locationId }));
      if (latest?.run) {
        syncRun.value = latest.run;
        schedule(latest.run);
      }
    })();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [locationId]);

  async function start() {
    const started = await run('start', () => send({ type: 'adminStartSync', locationId }), () => t('admin.fullSync.started'));
    if (started) {
      selected.value = [];
      syncRun.value = started.run;
      schedule(started.run);
    }
  }

  async function revoke() {
    const current = syncRun.value;
    confirming.value = false;
    if (!current) return;
    const ids = selected.value;
    const done = await run('revoke', () => send({ type: 'adminRevokeGrants', runId: current.id, tapkeyGrantIds: ids }), (r) => t('admin.fullSync.revokeQueued', { n: r.queued }));
    if (done) {
      selected.value = [];
      await poll(current.id);
    }
  }

  const r = syncRun.value;
  const running = r ? r.state === 'running' : false;
  const gradual = location?.tapkey?.syncMode === 'gradual';
  return (
    <>
      <p class="hint">{t('admin.fullSync.intro')}</p>
      {!location?.tapkey ? <p class="hint">{t('admin.syncMode.connectFirst')}</p> : null}
      {gradual ? <p class="warn">{t('admin.fullSync.gradualWarning')}</p> : null}
      <div class="actions">
        <button type="button" disabled={busy.value !== null || running || !location?.tapkey} onClick={() => void start()}>
          {t('admin.fullSync.start')}
        </button>
      </div>
      <StatusMessage notice={notice.value} />
      {r ? (
        <div class="sync-run">
          <p>
            {t(running ? 'admin.fullSync.runningSince' : 'admin.fullSync.finishedAt', {
              at: new Date(running ? r.createdAt : (r.finishedAt ?? r.createdAt)).toLocaleString(),
            })}
          </p>
          <div class="progress">
            <label for={progressId}>{t('admin.fullSync.progress', { done: r.progress.done, total: r.progress.total, failed: r.progress.failed, pending: r.progress.pending })}</label>
            <progress id={progressId} max={Math.max(r.progress.total, 1)} value={r.progress.total === 0 ? (running ? undefined : 1) : r.progress.done + r.progress.failed} />
          </div>
          <Report run={r} state={state} selected={selected.value} onSelect={(ids) => (selected.value = ids)} />
          {r.report.unexplainedGrants.items.length > 0 ? (
            <div class="actions">
              <button type="button" disabled={busy.value !== null || selected.value.length === 0} onClick={() => (confirming.value = true)}>
                {t('admin.fullSync.revokeSelected', { n: selected.value.length })}
              </button>
            </div>
          ) : null}
          {confirming.value ? (
            <ConfirmPanel
              title={t('admin.fullSync.revokeTitle')}
              confirmLabel={t('admin.fullSync.revokeConfirm', { n: selected.value.length })}
              onConfirm={() => void revoke()}
              onCancel={() => (confirming.value = false)}
            >
              <p>
                {t('admin.fullSync.revokeSummary', {
                  grants: selected.value.length,
                  people: peopleOf(r.report.unexplainedGrants.items.filter((i) => selected.value.includes(i.tapkeyGrantId))),
                })}
              </p>
            </ConfirmPanel>
          ) : null}
          <p class="hint">{r.report.reminder}</p>
        </div>
      ) : busy.value === 'latest' ? (
        <p>{t('common.loading')}</p>
      ) : (
        <p>{t('admin.fullSync.none')}</p>
      )}
    </>
  );
}

const selectable = (g: Unexplained) => g.state === 'found' || g.state === 'failed';

function Report({ run, state, selected, onSelect }: { run: SyncRun; state: AdminState; selected: string[]; onSelect: (ids: string[]) => void }) {
  const { t } = useUi();
  const rep = run.report;
  const findBooking = (id: string) => (
    <button type="button" aria-label={t('admin.report.findBookingNamed', { id })} onClick={() => state.goTo('notices', { search: id })}>
      {t('admin.report.findBooking')}
    </button>
  );
  const mapLock = (search: string, name: string) => (
    <button type="button" aria-label={t('admin.report.mapNamed', { name })} onClick={() => state.goTo('locks', { search })}>
      {t('admin.report.map')}
    </button>
  );
  return (
    <div class="report">
      <h3>{t('admin.report.heading')}</h3>
      <ReportTable
        title={t('admin.report.noEmail', { n: rep.bookingsWithoutEmail.count })}
        columns={[t('admin.report.booking'), t('admin.report.unit'), t('admin.actions')]}
        rows={rep.bookingsWithoutEmail.items.map((b) => ({ key: b.bookingExternalId, cells: [b.bookingExternalId, b.unitExternalId, findBooking(b.bookingExternalId)] }))}
      />
      <ReportTable
        title={t('admin.report.invalidEmail', { n: rep.invalidEmails.count })}
        columns={[t('admin.report.booking'), t('admin.report.email'), t('admin.report.reason'), t('admin.actions')]}
        rows={rep.invalidEmails.items.map((b) => ({ key: b.bookingExternalId, cells: [b.bookingExternalId, b.email, b.reason, findBooking(b.bookingExternalId)] }))}
      />
      <ReportTable
        title={t('admin.report.mismatch', { n: rep.emailMismatches.count })}
        columns={[t('admin.report.booking'), t('admin.report.unit'), t('admin.report.email'), t('admin.report.tapkeyEmails'), t('admin.report.suggested'), t('admin.actions')]}
        rows={rep.emailMismatches.items.map((m) => ({
          key: `${m.bookingExternalId} ${m.lockId}`,
          cells: [m.bookingExternalId, `${m.unitName} (${m.unitExternalId})`, m.expectedEmail, m.tapkeyEmails.join(', '), m.suggestedAction, findBooking(m.bookingExternalId)],
        }))}
      />
      <ReportTable
        title={t('admin.report.unitsWithoutLock', { n: rep.unitsWithoutMapping.count })}
        columns={[t('admin.report.unit'), t('admin.report.activeBookings'), t('admin.actions')]}
        rows={rep.unitsWithoutMapping.items.map((u) => ({ key: u.unitExternalId, cells: [`${u.unitName} (${u.unitExternalId})`, String(u.activeBookings), mapLock(u.unitName, u.unitName)] }))}
      />
      <ReportTable
        title={t('admin.report.locksWithoutUnit', { n: rep.locksWithoutUnit.count })}
        columns={[t('admin.report.lock'), t('admin.locks.id'), t('admin.actions')]}
        rows={rep.locksWithoutUnit.items.map((l) => ({ key: l.lockId, cells: [l.title, l.lockId, mapLock(l.lockId, l.title || l.lockId)] }))}
      />
      <h4>{t('admin.report.unexplained', { n: rep.unexplainedGrants.count })}</h4>
      {rep.unexplainedGrants.scan === 'pending' ? <p class="hint">{t('admin.report.scanPending')}</p> : null}
      {rep.unexplainedGrants.scan === 'failed' ? <p class="warn">{t('admin.report.scanFailed', { error: rep.unexplainedGrants.error ?? '' })}</p> : null}
      {rep.unexplainedGrants.items.length > 0 ? (
        <DataTable caption={t('admin.report.unexplained', { n: rep.unexplainedGrants.count })} captionHidden columns={[t('admin.report.select'), t('admin.report.lock'), t('admin.report.email'), t('admin.report.valid'), t('admin.report.state')]}>
          {rep.unexplainedGrants.items.map((g) => (
            <tr key={g.tapkeyGrantId}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('admin.report.selectGrant', { email: g.email ?? '?', lock: g.lockTitle ?? g.lockId })}
                  disabled={!selectable(g)}
                  checked={selected.includes(g.tapkeyGrantId)}
                  onChange={(e) => onSelect(e.currentTarget.checked ? [...selected, g.tapkeyGrantId] : selected.filter((id) => id !== g.tapkeyGrantId))}
                />
              </td>
              <td>{g.lockTitle ?? g.lockId}</td>
              <td>{g.email ?? ''}</td>
              <td>{[g.validFrom, g.validBefore].map((d) => (d ? d.slice(0, 10) : '…')).join(' – ')}</td>
              <td>
                {t(`admin.report.grantState.${g.state}`)}
                {g.reason ? ` — ${g.reason}` : ''}
                {g.note ? <p class="hint">{g.note}</p> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {rep.cardGrants.count > 0 ? (
        <ReportTable
          title={t('admin.report.cards', { n: rep.cardGrants.count })}
          columns={[t('admin.report.lock'), t('admin.report.card')]}
          rows={rep.cardGrants.items.map((g) => ({ key: g.tapkeyGrantId, cells: [g.lockTitle ?? g.lockId, g.boundCardId ?? ''] }))}
        />
      ) : null}
    </div>
  );
}

function ReportTable({ title, columns, rows }: { title: string; columns: string[]; rows: { key: string; cells: ComponentChildren[] }[] }) {
  return (
    <>
      <h4>{title}</h4>
      {rows.length > 0 ? (
        <DataTable caption={title} captionHidden columns={columns}>
          {rows.map((r) => (
            <tr key={r.key}>
              {r.cells.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
