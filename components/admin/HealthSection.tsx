import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import type { AdminHealth } from '../../lib/admin-messages.ts';
import type { AuditEvent } from '../../lib/contract.ts';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { NeedsLocation, Section, useAction, type AdminState } from './shared.tsx';
import { DataTable } from './DataTable.tsx';

/**
 * Health: Tapkey grants and Keycafe bookings still pending or failed, with their reasons and
 * Retry; the outbox backlog; the audit log with filters (who, what, since when; before/after).
 */
export function HealthSection({ state }: { state: AdminState }) {
  const { t } = useUi();
  return (
    <Section id="health" title={t('admin.health.heading')}>
      <NeedsLocation state={state}>{(location) => <Health key={location.id} locationId={location.id} />}</NeedsLocation>
      <AuditLog />
    </Section>
  );
}

function Health({ locationId }: { locationId: string }) {
  const { t, send } = useUi();
  const { busy, notice, run } = useAction();
  // Reloading after a retry must not clear the retry's message.
  const loading = useAction();
  const health = useSignal<AdminHealth | null>(null);

  async function load() {
    const h = await loading.run('load', () => send({ type: 'adminHealth', locationId }));
    if (h) health.value = h;
  }
  useEffect(() => void load(), [locationId]);

  async function retryGrant(externalId: string) {
    if (await run('retry', () => send({ type: 'adminRetryGrant', bookingExternalId: externalId }), () => t('admin.health.retried', { id: externalId }))) await load();
  }
  async function retryKeycafe(id: string, name: string) {
    if (await run('retry', () => send({ type: 'keycafeRetry', id }), () => t('admin.health.retried', { id: name }))) await load();
  }

  const h = health.value;
  return (
    <>
      <div class="actions">
        <button type="button" disabled={loading.busy.value !== null} onClick={() => void load()}>
          {t('admin.health.refresh')}
        </button>
      </div>
      <StatusMessage notice={notice.value ?? loading.notice.value} />
      {h ? (
        <>
          <h3>{t('admin.health.outbox')}</h3>
          <p>
            {t('admin.health.outboxCounts', { pending: h.outbox.pending, running: h.outbox.running, failed: h.outbox.failed })}
            {h.outbox.oldestPendingAt ? ` ${t('admin.health.oldest', { at: new Date(h.outbox.oldestPendingAt).toLocaleString() })}` : ''}
          </p>
          {h.outbox.failures.length > 0 ? (
            <ul>
              {h.outbox.failures.map((f) => (
                <li key={f.id}>
                  <code>{f.kind}</code> — {f.lastError ?? ''} ({t('admin.health.attempts', { n: f.attempts })})
                </li>
              ))}
            </ul>
          ) : null}
          <h3>{t('admin.health.tapkey', { pending: h.tapkeyPending.length, failed: h.tapkeyFailed.length })}</h3>
          {h.tapkeyPending.length + h.tapkeyFailed.length === 0 ? (
            <p>{t('admin.health.allGood')}</p>
          ) : (
            <DataTable caption={t('admin.health.tapkeyCaption')} captionHidden columns={[t('admin.report.booking'), t('admin.report.email'), t('admin.report.state'), t('admin.report.reason'), t('admin.actions')]}>
              {[...h.tapkeyFailed, ...h.tapkeyPending].map((b) => (
                <tr key={b.id}>
                  <th scope="row">{b.externalId}</th>
                  <td>{b.tenantEmail ?? ''}</td>
                  <td>{b.grant ? t(`admin.report.grantState.${b.grant.state === 'failed' ? 'failed' : 'pending'}`) : ''}</td>
                  <td>{b.grant?.reason ?? b.access.message}</td>
                  <td>
                    {b.grant?.state === 'failed' ? (
                      <button type="button" aria-label={t('admin.health.retryNamed', { id: b.externalId })} disabled={busy.value !== null} onClick={() => void retryGrant(b.externalId)}>
                        {t('common.retry')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <h3>{t('admin.health.keycafe', { n: h.keycafe.length })}</h3>
          {h.keycafe.length === 0 ? (
            <p>{t('admin.health.allGood')}</p>
          ) : (
            <ul>
              {h.keycafe.map((b) => {
                const name = b.name ?? b.recipient.email ?? b.recipient.mobile ?? b.id;
                return (
                  <li key={b.id}>
                    <strong>{name}</strong> — {b.state}
                    <ul>
                      {b.accesses
                        .filter((a) => a.state !== 'active')
                        .map((a) => (
                          <li key={a.keyId}>
                            {a.keyName}: {a.state}
                            {a.reason ? ` — ${a.reason}` : ''}
                          </li>
                        ))}
                    </ul>
                    {b.state === 'failed' || b.state === 'partially_failed' ? (
                      <button type="button" aria-label={t('admin.health.retryNamed', { id: name })} disabled={busy.value !== null} onClick={() => void retryKeycafe(b.id, name)}>
                        {t('common.retry')}
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : loading.busy.value ? (
        <p>{t('common.loading')}</p>
      ) : null}
    </>
  );
}

function AuditLog() {
  const { t, send } = useUi();
  const { busy, notice, run } = useAction();
  const filters = useSignal({ actor: '', action: '', entity: '', since: '' });
  const events = useSignal<{ items: AuditEvent[]; total: number } | null>(null);
  const ids = { actor: useId(), action: useId(), entity: useId(), since: useId() };

  async function load(offset = 0) {
    const f = filters.value;
    // A date from the date input is the start of that day, local time.
    const since = f.since ? new Date(`${f.since}T00:00:00`).toISOString() : '';
    const page = await run('audit', () => send({ type: 'adminAudit', actor: f.actor, action: f.action, entity: f.entity, since, offset }));
    if (page) events.value = offset === 0 || !events.value ? page : { items: [...events.value.items, ...page.items], total: page.total };
  }
  useEffect(() => void load(), []);

  const set = (k: keyof typeof filters.value) => (e: Event) => (filters.value = { ...filters.value, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <div class="audit">
      <h3>{t('admin.audit.heading')}</h3>
      <p class="hint" id="audit-hint">
        {t('admin.audit.hint')}
      </p>
      <form
        class="filters"
        role="search"
        aria-label={t('admin.audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <div class="field">
          <label for={ids.actor}>{t('admin.audit.who')}</label>
          <input id={ids.actor} value={filters.value.actor} onInput={set('actor')} aria-describedby="audit-hint" />
        </div>
        <div class="field">
          <label for={ids.action}>{t('admin.audit.what')}</label>
          <input id={ids.action} value={filters.value.action} onInput={set('action')} aria-describedby="audit-hint" />
        </div>
        <div class="field">
          <label for={ids.entity}>{t('admin.audit.entity')}</label>
          <input id={ids.entity} value={filters.value.entity} onInput={set('entity')} aria-describedby="audit-hint" />
        </div>
        <div class="field">
          <label for={ids.since}>{t('admin.audit.since')}</label>
          <input id={ids.since} type="date" value={filters.value.since} onInput={set('since')} />
        </div>
        <div class="actions">
          <button type="submit">{t('admin.audit.apply')}</button>
        </div>
      </form>
      <StatusMessage notice={notice.value} />
      {events.value ? (
        events.value.items.length === 0 ? (
          <p>{t('admin.audit.none')}</p>
        ) : (
          <DataTable caption={t('admin.audit.count', { shown: events.value.items.length, total: events.value.total })} columns={[t('admin.audit.when'), t('admin.audit.who'), t('admin.audit.what'), t('admin.audit.entity'), t('admin.audit.change')]}>
            {events.value.items.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>
                  {e.entity} <code>{e.entityId}</code>
                </td>
                <td>
                  <details>
                    <summary>{t('admin.audit.beforeAfter')}</summary>
                    <pre>{`${t('admin.audit.before')}: ${JSON.stringify(e.before, null, 1)}\n${t('admin.audit.after')}: ${JSON.stringify(e.after, null, 1)}`}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </DataTable>
        )
      ) : null}
      {events.value && events.value.items.length < events.value.total ? (
        <div class="actions">
          <button type="button" disabled={busy.value !== null} onClick={() => void load(events.value!.items.length)}>
            {t('admin.showMore')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
