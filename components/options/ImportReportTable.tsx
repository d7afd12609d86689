import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { describeImportProblem, type ImportReport, type ImportRow } from '../../lib/mapping-file.ts';
import { useUi } from '../ui-context.ts';

/** A 20,000-row report is for reading the errors, not for scrolling: the table stops here. */
export const VISIBLE_ROWS = 500;

function Problems({ row }: { row: ImportRow }) {
  const { t, lang } = useUi();
  const lines = row.problems.map((p) => describeImportProblem(p, lang));
  if (row.action === 'replace') {
    if (row.lockWasMappedTo) lines.push(t('manager.files.lockWas', { unit: row.lockWasMappedTo.name }));
    if (row.unitWasMappedTo) lines.push(t('manager.files.unitWas', { lockId: row.unitWasMappedTo }));
  }
  if (!lines.length) return null;
  return lines.length === 1 ? (
    <>{lines[0]}</>
  ) : (
    <ul>
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

/** The import's row-by-row report: what each row would do (or did), and why a row is refused. */
export function ImportReportTable({ report }: { report: ImportReport }) {
  const { t } = useUi();
  const onlyErrors = useSignal(report.totals.error > 0);
  const toggleId = useId();
  const rows = onlyErrors.value ? report.rows.filter((r) => r.action === 'error') : report.rows;
  const shown = rows.slice(0, VISIBLE_ROWS);
  return (
    <div class="import-report">
      {report.totals.error > 0 ? (
        <div class="field checkbox">
          <input id={toggleId} type="checkbox" checked={onlyErrors.value} onChange={(e) => (onlyErrors.value = (e.currentTarget as HTMLInputElement).checked)} />
          <label for={toggleId}>{t('manager.files.onlyErrors')}</label>
        </div>
      ) : null}
      <table>
        <caption>{t('manager.files.report')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manager.files.col.row')}</th>
            <th scope="col">{t('manager.files.col.lockId')}</th>
            <th scope="col">{t('manager.files.col.unit')}</th>
            <th scope="col">{t('manager.files.col.action')}</th>
            <th scope="col">{t('manager.files.col.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.row} class={`action-${r.action}`}>
              <td>{r.row}</td>
              <td>{r.lockId}</td>
              <td>{r.unitName}</td>
              <td>{t(`manager.files.action.${r.action}`)}</td>
              <td>
                <Problems row={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length ? <p class="hint">{t('manager.files.shown', { shown: shown.length, total: rows.length })}</p> : null}
    </div>
  );
}
