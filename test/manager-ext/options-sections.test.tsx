// @vitest-environment happy-dom
/**
 * The options page's manager sections: the site list with "Grant access to this site" (the
 * browser's prompt first, then the background), the demo manager, the Kinnovis template; and
 * mapping files: downloads, the row-by-row check, "Apply" only for a clean report of this
 * very file, and a refused apply.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MappingFilesSection, type DownloadedFile } from '../../components/options/MappingFilesSection.tsx';
import { SiteProfilesSection } from '../../components/options/SiteProfilesSection.tsx';
import { fromBase64 } from '../../lib/base64.ts';
import type { ImportReport, ImportRow } from '../../lib/mapping-file.ts';
import type { AnyMessageInput, SiteProfilesView } from '../../lib/messages.ts';
import { demoManagerProfile, type SiteProfile } from '../../lib/site-profile/index.ts';
import { bridgeError, renderWithUi } from './render.tsx';

afterEach(cleanup);

const DEMO = 'http://127.0.0.1:4100';
const viewOf = (profile: SiteProfile | null, state: { active: boolean; granted: boolean; registered: boolean } = { active: false, granted: false, registered: false }): SiteProfilesView => ({
  invalid: 0,
  profiles: profile ? [{ profile, pattern: 'http://127.0.0.1/*', ...state }] : [],
});

describe('manager sites', () => {
  it('adds the demo manager where the sandbox runs it', async () => {
    const { sent } = renderWithUi(<SiteProfilesSection requestHost={async () => true} />, (m) => {
      if (m.type === 'listSiteProfiles') return viewOf(null);
      if (m.type === 'demoManagerOrigin') return { origin: DEMO };
      if (m.type === 'saveSiteProfile') return viewOf(demoManagerProfile(DEMO));
      throw new Error(`unexpected ${m.type}`);
    });
    await screen.findByText('No manager site yet. Use the demo manager or add your own.');
    fireEvent.click(screen.getByRole('button', { name: 'Use the demo manager' }));
    const item = await screen.findByRole('region', { name: 'Demo manager (sandbox)' });
    expect(within(item).getByText(`Address: ${DEMO}`)).toBeTruthy();
    expect(within(item).getByText('Not active: access to this site is not granted yet.')).toBeTruthy();
    expect(sent.at(-1)).toEqual({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    expect(screen.queryByRole('button', { name: 'Use the demo manager' })).toBeNull();
  });

  it('says so when the API runs without the sandbox', async () => {
    renderWithUi(<SiteProfilesSection requestHost={async () => true} />, (m) => (m.type === 'listSiteProfiles' ? viewOf(null) : { origin: null }));
    fireEvent.click(await screen.findByRole('button', { name: 'Use the demo manager' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The API does not run the sandbox, so there is no demo manager to use.'));
  });

  it('asks the browser first and then the background; a refusal is explained and changes nothing', async () => {
    const order: string[] = [];
    let allow = false;
    const requestHost = vi.fn(async (pattern: string) => {
      order.push(`request ${pattern}`);
      return allow;
    });
    const { sent } = renderWithUi(<SiteProfilesSection requestHost={requestHost} />, (m: AnyMessageInput) => {
      order.push(m.type);
      if (m.type === 'listSiteProfiles') return viewOf(demoManagerProfile(DEMO));
      if (m.type === 'grantSiteProfile') return viewOf(demoManagerProfile(DEMO), { active: true, granted: true, registered: true });
      if (m.type === 'revokeSiteProfile') return viewOf(demoManagerProfile(DEMO));
      throw new Error(`unexpected ${m.type}`);
    });
    const item = await screen.findByRole('region', { name: 'Demo manager (sandbox)' });
    fireEvent.click(within(item).getByRole('button', { name: 'Grant access to this site' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(`Access to ${DEMO} was not granted.`));
    expect(sent.map((m) => m.type)).toEqual(['listSiteProfiles']);

    allow = true;
    fireEvent.click(within(item).getByRole('button', { name: 'Grant access to this site' }));
    await screen.findByText(`AccessBridge now works on ${DEMO}. Open a unit or booking page there.`);
    expect(order).toEqual(['listSiteProfiles', 'request http://127.0.0.1/*', 'request http://127.0.0.1/*', 'grantSiteProfile']);
    const active = screen.getByRole('region', { name: 'Demo manager (sandbox)' });
    expect(within(active).getByText('Active: AccessBridge runs on the unit and booking pages of this site.')).toBeTruthy();
    expect(within(active).queryByRole('button', { name: 'Grant access to this site' })).toBeNull();

    fireEvent.click(within(active).getByRole('button', { name: 'Withdraw access' }));
    await screen.findByText(`AccessBridge no longer runs on ${DEMO}.`);
  });

  it('opens the Kinnovis template with the address to fill in, and edits a profile', async () => {
    renderWithUi(<SiteProfilesSection requestHost={async () => true} />, (m) => {
      if (m.type === 'listSiteProfiles') return viewOf(demoManagerProfile(DEMO));
      if (m.type === 'saveSiteProfile') return viewOf(demoManagerProfile(DEMO));
      throw new Error(`unexpected ${m.type}`);
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add Kinnovis Manager' }));
    const editor = await screen.findByRole('form', { name: 'New site profile' });
    expect((within(editor).getByLabelText('Name') as HTMLInputElement).value).toBe('Kinnovis Manager');
    expect((within(editor).getByLabelText('Site address') as HTMLInputElement).value).toBe('');
    fireEvent.click(within(editor).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form')).toBeNull();

    fireEvent.click(within(screen.getByRole('region', { name: 'Demo manager (sandbox)' })).getByRole('button', { name: 'Edit' }));
    const edit = await screen.findByRole('form', { name: 'Edit “Demo manager (sandbox)”' });
    expect((within(edit).getByLabelText('Profile ID') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(within(edit).getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Profile “Demo manager (sandbox)” saved.');
  });
});

describe('mapping files', () => {
  const row = (n: number, action: ImportRow['action'], over: Partial<ImportRow> = {}): ImportRow => ({
    row: n,
    lockId: `lock-${n}`,
    unitName: `A-${n}`,
    action,
    unit: action === 'error' ? null : { externalId: `U${n}`, name: `A-${n}` },
    lockWasMappedTo: null,
    unitWasMappedTo: null,
    problems: [],
    ...over,
  });
  const report = (rows: ImportRow[], over: Partial<ImportReport> = {}): ImportReport => {
    const count = (a: ImportRow['action']) => rows.filter((r) => r.action === a).length;
    return {
      format: 'csv',
      dryRun: true,
      replace: false,
      applied: false,
      importId: null,
      totals: { rows: rows.length, create: count('create'), unchanged: count('unchanged'), replace: count('replace'), error: count('error') },
      rows,
      ...over,
    };
  };
  const file = (name = 'mappings.csv', text = 'Tapkey Lock ID,Kinnovis Unit Name\n') => new File([text], name, { type: 'text/csv', lastModified: 1 });
  const choose = (f: File, label = 'Mapping file (CSV or XLSX)') => fireEvent.change(screen.getByLabelText(label), { target: { files: [f] } });

  it('downloads mappings and locks in either format', async () => {
    const downloads: DownloadedFile[] = [];
    const { sent } = renderWithUi(<MappingFilesSection download={(f) => downloads.push(f)} />, (m) => {
      if (m.type !== 'exportMappingFile') throw new Error(m.type);
      return { fileName: `accessbridge-${m.what}.${m.format}`, contentType: 'text/csv', base64: btoa('x') };
    });
    fireEvent.click(screen.getByRole('button', { name: 'Download mappings (XLSX)' }));
    await screen.findByText('Downloaded accessbridge-mappings.xlsx.');
    fireEvent.click(screen.getByRole('button', { name: 'Download all locks (CSV)' }));
    await screen.findByText('Downloaded accessbridge-locks.csv.');
    expect(sent).toEqual([
      { type: 'exportMappingFile', what: 'mappings', format: 'xlsx' },
      { type: 'exportMappingFile', what: 'locks', format: 'csv' },
    ]);
    expect(downloads.map((d) => d.fileName)).toEqual(['accessbridge-mappings.xlsx', 'accessbridge-locks.csv']);
  });

  it('checks a file and lists the rows with errors, in the user’s words; Apply stays off', async () => {
    const text = 'Tapkey Lock ID,Kinnovis Unit Name\nnot-a-uuid,A-1\n';
    const { sent } = renderWithUi(<MappingFilesSection />, () => ({
      report: report([
        row(2, 'error', { lockId: 'not-a-uuid', problems: [{ code: 'bad_lock_id', message: 'x', params: { value: 'not-a-uuid' } }] }),
        row(3, 'create'),
        row(4, 'replace', { lockWasMappedTo: { externalId: 'U9', name: 'A-9' } }),
      ]),
      rejected: false,
    }), 'de');
    fireEvent.click(screen.getByRole('button', { name: 'Datei prüfen' }));
    await screen.findByText('Wählen Sie zuerst eine Datei.');
    choose(file('mappings.csv', text), 'Zuordnungsdatei (CSV oder XLSX)');
    fireEvent.click(screen.getByRole('button', { name: 'Datei prüfen' }));
    await screen.findByText('3 Zeilen: 1 neu, 1 zu ersetzen, 0 unverändert, 1 mit Fehlern.');
    expect(sent).toEqual([{ type: 'importMappingFile', fileName: 'mappings.csv', base64: expect.any(String), dryRun: true, replace: false }]);
    expect(new TextDecoder().decode(fromBase64((sent[0] as { base64: string }).base64))).toBe(text);

    const table = screen.getByRole('table', { name: 'Importbericht' });
    // Only the rows with errors at first.
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).getByText('„not-a-uuid“ ist keine Tapkey-Schloss-ID (eine UUID wie ea610634-4fc0-4084-85b2-bebf52c3595f)')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Nur Zeilen mit Fehlern zeigen'));
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(within(table).getByText('Das Schloss verlässt Einheit A-9.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Übernehmen' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('applies a clean report of the same file; a changed option asks for a new check', async () => {
    const replies = [
      { report: report([row(2, 'create'), row(3, 'unchanged')]), rejected: false },
      { report: report([row(2, 'create'), row(3, 'unchanged')], { dryRun: false, applied: true, importId: 'imp-1' }), rejected: false },
    ];
    const { sent } = renderWithUi(<MappingFilesSection />, () => replies.shift());
    choose(file());
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByText('Every row is valid. Apply writes them all in one step.');
    const apply = screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(false);

    fireEvent.click(screen.getByLabelText('Move locks and units that are mapped elsewhere (replace)'));
    await screen.findByText('The file or the replace option changed: check the file again before applying.');
    expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Move locks and units that are mapped elsewhere (replace)'));

    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('Applied: 1 created, 0 replaced, 1 unchanged.');
    expect(sent.map((m) => (m as { dryRun: boolean }).dryRun)).toEqual([true, false]);
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull();
  });

  it('shows the new report when applying is refused, and a file over the cap before sending', async () => {
    const replies = [
      { report: report([row(2, 'create')]), rejected: false },
      {
        report: report([row(2, 'error', { problems: [{ code: 'conflict', message: 'x', params: { lockId: 'lock-2', lockMappedTo: 'A-7' } }] })], { dryRun: false }),
        rejected: true,
      },
    ];
    const { sent } = renderWithUi(<MappingFilesSection />, () => replies.shift());
    choose(file());
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^Nothing was applied: the mappings changed since the check/));
    expect(screen.getByText('Lock lock-2 is already mapped to unit A-7. Import with “replace” to move it.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(true);

    const big = file('big.csv');
    Object.defineProperty(big, 'size', { value: 6 * 1024 * 1024 });
    choose(big);
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The file is 6.0 MiB; at most 5 MiB can be imported. Split it into several files.'));
    expect(sent).toHaveLength(2);
  });

  it('explains a file the API cannot read', async () => {
    renderWithUi(<MappingFilesSection />, () => {
      throw bridgeError({ kind: 'api', status: 422, code: 'unprocessable', message: 'The first row must hold exactly the headers “Tapkey Lock ID” and “Kinnovis Unit Name”.' });
    });
    choose(file('wrong.csv', 'Lock,Unit\n'));
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^The API refused the request: The first row must hold exactly the headers/));
  });
});
