import { useId } from 'preact/hooks';
import type { MessageKey } from '../../lib/i18n/index.ts';
import type { PreviewResult } from '../../lib/messages.ts';
import { describeProblem, type PageReading, type Problem } from '../../lib/site-profile/index.ts';
import { useUi } from '../ui-context.ts';

/** Which label each extracted value has (the same names the problems use). */
const fieldKeys: Record<PageReading['kind'], Record<string, MessageKey>> = {
  unit: { externalId: 'manager.field.unit.id', name: 'manager.field.unit.name', location: 'manager.field.unit.location' },
  booking: {
    externalId: 'manager.field.booking.id',
    unitExternalId: 'manager.field.booking.unitId',
    tenantName: 'manager.field.booking.tenantName',
    tenantEmail: 'manager.field.booking.tenantEmail',
    tenantPhone: 'manager.field.booking.tenantPhone',
    moveIn: 'manager.field.booking.moveIn',
    moveOut: 'manager.field.booking.moveOut',
    state: 'manager.field.booking.state',
  },
};

function Problems({ title, problems }: { title: string; problems: Problem[] }) {
  const { lang } = useUi();
  if (!problems.length) return null;
  return (
    <>
      <h5>{title}</h5>
      <ul class="problems">
        {problems.map((p, i) => (
          <li key={i}>{describeProblem(p, lang)}</li>
        ))}
      </ul>
    </>
  );
}

export interface ProfilePreviewProps {
  result: PreviewResult;
  tabId: number | undefined;
  onTab: (tabId: number) => void;
}

/** What the draft profile reads on a manager tab: each value, or why it could not. */
export function ProfilePreview({ result, tabId, onTab }: ProfilePreviewProps) {
  const { t, lang } = useUi();
  const headingId = useId();
  const tabSelectId = useId();

  let body;
  if (result.status === 'no_permission') body = <p role="alert">{t('manager.preview.noPermission')}</p>;
  else if (result.status === 'no_tab') body = <p role="alert">{t('manager.preview.noTab', { origin: result.origin })}</p>;
  else {
    const { reading, tab } = result;
    body = (
      <>
        {result.tabs.length > 1 ? (
          <div class="field">
            <label for={tabSelectId}>{t('manager.editor.testTab')}</label>
            <select id={tabSelectId} value={String(tabId ?? tab.id)} onChange={(e) => onTab(Number((e.currentTarget as HTMLSelectElement).value))}>
              {result.tabs.map((x) => (
                <option key={x.id} value={String(x.id)}>
                  {x.title}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {!reading ? (
          <p role="alert">{t('manager.preview.notMatched', { title: tab.title, url: tab.url })}</p>
        ) : (
          <>
            <h4>{t(reading.kind === 'unit' ? 'manager.preview.unitPage' : 'manager.preview.bookingPage', { title: tab.title })}</h4>
            {reading.result.ok ? (
              <>
                <p role="status">{t('manager.preview.ok')}</p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('manager.preview.field')}</th>
                      <th scope="col">{t('manager.preview.value')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {/* Every field of the page, those not on it too: the admin confirms each. */}
                    {Object.entries(fieldKeys[reading.kind]).map(([k, label]) => {
                      const v = (reading.result as { value: Record<string, unknown> }).value[k];
                      return (
                        <tr key={k}>
                          <th scope="row">{t(label)}</th>
                          <td>{v === null || v === undefined ? <span class="hint">{t('manager.preview.notOnPage')}</span> : String(v)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <Problems title={t('manager.preview.notes')} problems={reading.result.notes} />
              </>
            ) : (
              <div role="alert">
                <Problems title={t('manager.preview.problems')} problems={reading.result.problems} />
              </div>
            )}
            <p>{reading.anchor ? describeProblem(reading.anchor, lang) : t('manager.preview.anchorOk')}</p>
          </>
        )}
      </>
    );
  }
  return (
    <section class="profile-preview" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('manager.preview.heading')}</h4>
      {body}
    </section>
  );
}
