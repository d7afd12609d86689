import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { toBase64 } from '../../lib/base64.ts';
import { MAX_IMPORT_BYTES, type FileFormat, type ImportReport } from '../../lib/mapping-file.ts';
import type { ResponseMap } from '../../lib/messages.ts';
import { describeError } from '../describe-error.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { ImportReportTable } from './ImportReportTable.tsx';

export type DownloadedFile = ResponseMap['exportMappingFile'];

/** Saves a file the background fetched: a temporary object URL clicked as a download link. */
export function saveDownload(file: DownloadedFile): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  const a = Object.assign(document.createElement('a'), { href: url, download: file.fileName });
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface MappingFilesSectionProps {
  download?: (file: DownloadedFile) => void;
}

/** What the report was made for: applying needs a check of this very file and option. */
const fileKey = (f: File, replace: boolean) => `${f.name}\n${f.size}\n${f.lastModified}\n${replace}`;

type Checked = { key: string; report: ImportReport; rejected: boolean };

/**
 * Options: bulk mapping files. Export the mappings or every known lock as CSV or XLSX; import
 * a file with a dry run that lists each row (create, unchanged, replace, error with reasons),
 * then "Apply", which writes every row or none.
 */
export function MappingFilesSection({ download = saveDownload }: MappingFilesSectionProps) {
  const { t, send } = useUi();
  const file = useSignal<File | null>(null);
  const replace = useSignal(false);
  const checked = useSignal<Checked | null>(null);
  const busy = useSignal(false);
  const notice = useSignal<Notice | null>(null);
  const headingId = useId();
  const fileId = useId();
  const replaceId = useId();

  async function exportFile(what: 'mappings' | 'locks', format: FileFormat) {
    busy.value = true;
    notice.value = { tone: 'info', text: t('manager.files.exporting') };
    try {
      const result = await send({ type: 'exportMappingFile', what, format });
      download(result);
      notice.value = { tone: 'success', text: t('manager.files.exported', { file: result.fileName }) };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  async function importFile(dryRun: boolean) {
    const f = file.value;
    if (!f) {
      notice.value = { tone: 'error', text: t('manager.files.noFile') };
      return;
    }
    if (f.size > MAX_IMPORT_BYTES) {
      notice.value = { tone: 'error', text: t('manager.files.tooLarge', { size: (f.size / 1024 / 1024).toFixed(1), max: MAX_IMPORT_BYTES / 1024 / 1024 }) };
      return;
    }
    const key = fileKey(f, replace.value);
    busy.value = true;
    notice.value = { tone: 'info', text: t(dryRun ? 'manager.files.checking' : 'manager.files.applying', { file: f.name }) };
    try {
      const base64 = toBase64(new Uint8Array(await f.arrayBuffer()));
      const { report, rejected } = await send({ type: 'importMappingFile', fileName: f.name, base64, dryRun, replace: replace.value });
      checked.value = { key, report, rejected };
      const { totals } = report;
      notice.value = rejected
        ? { tone: 'error', text: t('manager.files.rejected') }
        : report.applied
          ? { tone: 'success', text: t('manager.files.applied', { create: totals.create, replace: totals.replace, unchanged: totals.unchanged }) }
          : { tone: totals.error ? 'error' : 'info', text: t('manager.files.totals', { ...totals }) };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  const c = checked.value;
  const current = c && file.value ? c.key === fileKey(file.value, replace.value) : false;
  const report = c?.report;
  const applicable = Boolean(current && report && !report.applied && !c!.rejected && report.totals.error === 0 && report.totals.create + report.totals.replace > 0);
  const advice = !report
    ? null
    : !current
      ? t('manager.files.stale')
      : report.applied
        ? null
        : report.totals.error
          ? t('manager.files.hasErrors')
          : report.totals.create + report.totals.replace
            ? t('manager.files.ready')
            : t('manager.files.nothingToDo');

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('manager.files.heading')}</h2>
      <p class="hint">{t('manager.files.intro')}</p>
      <div class="actions">
        {(['csv', 'xlsx'] as const).map((format) => (
          <button key={`m-${format}`} type="button" disabled={busy.value} onClick={() => void exportFile('mappings', format)}>
            {t('manager.files.exportMappings', { format: format.toUpperCase() })}
          </button>
        ))}
        {(['csv', 'xlsx'] as const).map((format) => (
          <button key={`l-${format}`} type="button" disabled={busy.value} onClick={() => void exportFile('locks', format)}>
            {t('manager.files.exportLocks', { format: format.toUpperCase() })}
          </button>
        ))}
      </div>
      <p class="hint">{t('manager.files.exportLocksHint')}</p>

      <div class="field">
        <label for={fileId}>{t('manager.files.file')}</label>
        <input
          id={fileId}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => (file.value = (e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
      <div class="field checkbox">
        <input id={replaceId} type="checkbox" checked={replace.value} onChange={(e) => (replace.value = (e.currentTarget as HTMLInputElement).checked)} />
        <label for={replaceId}>{t('manager.files.replace')}</label>
      </div>
      <div class="actions">
        <button type="button" disabled={busy.value} onClick={() => void importFile(true)}>
          {t('manager.files.check')}
        </button>
        {report && !report.applied ? (
          <button type="button" disabled={busy.value || !applicable} onClick={() => void importFile(false)}>
            {t('manager.files.apply')}
          </button>
        ) : null}
      </div>
      <StatusMessage notice={notice.value} />
      {advice ? <p>{advice}</p> : null}
      {report ? <ImportReportTable report={report} /> : null}
    </section>
  );
}
