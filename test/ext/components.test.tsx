// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureLocksButton } from '../../components/CaptureLocksButton.tsx';
import { ConnectionSettings } from '../../components/ConnectionSettings.tsx';
import { MapLockButton } from '../../components/MapLockButton.tsx';
import { MapLockDialog } from '../../components/MapLockDialog.tsx';
import { PortalOrigins } from '../../components/PortalOrigins.tsx';
import { PortalDialogsContext } from '../../components/portal/dialogs.ts';
import { eagerPortalDialogs } from '../../components/portal/eager-dialogs.ts';
import { PreferencesSettings } from '../../components/PreferencesSettings.tsx';
import { QueueList } from '../../components/QueueList.tsx';
import { TapkeyPortalPanel, type PortalPage } from '../../components/TapkeyPortalPanel.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import type { Mapping, Unit } from '../../lib/contract.ts';
import { translate } from '../../lib/i18n/index.ts';
import { BridgeRequestError, type AnyMessageInput, type BridgeError, type MessageType, type ResponseMap, type Send, type SettingsView } from '../../lib/messages.ts';

afterEach(cleanup);

type Handlers = { [T in MessageType]?: (message: Extract<AnyMessageInput, { type: T }>) => Promise<ResponseMap[T]> };

function renderUi(ui: ComponentChildren, handlers: Handlers = {}) {
  const calls: AnyMessageInput[] = [];
  const send = (async (message: AnyMessageInput) => {
    calls.push(message);
    const handler = handlers[message.type] as ((m: AnyMessageInput) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`unexpected message ${message.type}`);
    return handler(message);
  }) as Send;
  const view = render(
    <UiContext.Provider value={createUi('en', send, translate)}>
      <PortalDialogsContext.Provider value={eagerPortalDialogs}>{ui}</PortalDialogsContext.Provider>
    </UiContext.Provider>,
  );
  return { ...view, calls };
}

const bridgeError = (e: Partial<BridgeError> & Pick<BridgeError, 'kind'>) => new BridgeRequestError({ message: 'x', fieldErrors: [], ...e });
const never = <T,>() => new Promise<T>(() => {});
const at = '2026-01-01T00:00:00.000Z';
const unit = (n: number, name: string): Unit => ({ id: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, externalId: `U${1000 + n}`, name, locationId: null, createdAt: at, updatedAt: at });
const UNITS = [unit(1, 'A-11'), unit(2, 'A-12'), unit(3, 'A-13'), unit(4, 'B-12')];
const LOCK = { id: 'ea610634-4fc0-4084-85b2-bebf52c3595f', title: 'A12 door', pageUrl: 'https://my.tapkey.com/#/locks/ea610634-4fc0-4084-85b2-bebf52c3595f' };
const OTHER_LOCK = 'bd2d5ff1-35f2-4a5e-9d1c-03e3a0f1a111';

function mapping(u: Unit, lockId = LOCK.id, title = LOCK.title): Mapping {
  return {
    unitId: u.id,
    lockId,
    unit: u,
    lock: { id: lockId, title, source: 'captured', locationId: null, capturedUrl: null, createdAt: at, updatedAt: at },
    createdAt: at,
  };
}
const unitsReply = (items: Unit[], extra: Partial<ResponseMap['listUnits']> = {}) => async () => ({ items, total: items.length, truncated: false, stale: false, ...extra });

describe('MapLockDialog', () => {
  const open = (handlers: Handlers, current: Mapping | null = null) => {
    const onClose = vi.fn();
    const view = renderUi(<MapLockDialog lock={LOCK} current={current} onClose={onClose} />, handlers);
    return { ...view, onClose, dialog: screen.getByRole('dialog', { name: 'Map “A12 door” to a unit' }) };
  };

  it('is a labelled modal dialog that shows loading while the units arrive', () => {
    const { dialog } = open({ listUnits: never });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('aria-busy')).toBe('true');
    expect(within(dialog).getByText('Loading…')).toBeTruthy();
    expect(within(dialog).getByText('This lock is not mapped to a unit yet. Choose its unit.')).toBeTruthy();
  });

  it('suggests the best match first, marks the current unit, and saves in one click', async () => {
    const { dialog, onClose, calls } = open(
      { listUnits: unitsReply(UNITS), saveMapping: async () => ({ status: 'saved', mapping: mapping(UNITS[1]!) }) },
      mapping(UNITS[0]!),
    );
    const suggested = await within(dialog).findByRole('region', { name: 'Suggested for this lock' });
    expect(within(suggested).getAllByRole('button').map((b) => b.textContent)).toEqual(['A-12']);
    expect(within(dialog).getByText('This lock is mapped to unit A-11. Choose another unit to change it.')).toBeTruthy();
    const all = within(dialog).getByRole('region', { name: 'All units' });
    expect(within(all).getByRole('button', { name: 'A-11 (current)' })).toBeTruthy();

    fireEvent.click(within(suggested).getByRole('button', { name: 'A-12' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith({ kind: 'saved', unit: UNITS[1], mapping: mapping(UNITS[1]!) }));
    expect(calls.at(-1)).toEqual({
      type: 'saveMapping',
      unitExternalId: 'U1002',
      unitName: 'A-12',
      lockId: LOCK.id,
      replace: false,
      lock: { title: 'A12 door', pageUrl: LOCK.pageUrl },
    });
  });

  it('says so when the organization has no units', async () => {
    const { dialog } = open({ listUnits: unitsReply([]) });
    expect(await within(dialog).findByText('This organization has no units yet. Units arrive from the manager integration.')).toBeTruthy();
    expect(within(dialog).queryByRole('searchbox')).toBeNull();
  });

  it('explains a failed load in an alert and loads again on Retry', async () => {
    let attempt = 0;
    const { dialog } = open({
      listUnits: async () => {
        if (attempt++ === 0) throw bridgeError({ kind: 'unreachable' });
        return unitsReply(UNITS)();
      },
    });
    const alert = await within(dialog).findByRole('alert');
    await waitFor(() => expect(alert.textContent).toMatch(/cannot be reached/));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    expect(await within(dialog).findByRole('searchbox', { name: 'Search units' })).toBeTruthy();
    expect(within(dialog).getByRole('alert').textContent).toBe('');
  });

  it('explains a conflict and replaces only when asked', async () => {
    const details = { unitMappedTo: mapping(UNITS[1]!, OTHER_LOCK, 'Storage A-12'), lockMappedTo: mapping(UNITS[0]!) };
    const replies: unknown[] = [bridgeError({ kind: 'api', status: 409, code: 'conflict', conflict: details }), { status: 'saved', mapping: mapping(UNITS[1]!) }];
    const { dialog, calls, onClose } = open({
      listUnits: unitsReply(UNITS),
      saveMapping: async () => {
        const next = replies.shift();
        if (next instanceof Error) throw next;
        return next as ResponseMap['saveMapping'];
      },
    });
    fireEvent.click((await within(dialog).findAllByRole('button', { name: 'A-12' }))[0]!);
    expect(await within(dialog).findByText(`Unit A-12 is already mapped to lock “Storage A-12” (${OTHER_LOCK}).`)).toBeTruthy();
    expect(within(dialog).getByText('This lock is already mapped to unit A-11.')).toBeTruthy();
    expect(within(dialog).getByRole('status').textContent).toBe('This unit or lock is already mapped. Replace the mapping?');
    expect(onClose).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ kind: 'saved' })));
    expect(calls.filter((c) => c.type === 'saveMapping').map((c) => (c as { replace: boolean }).replace)).toEqual([false, true]);
  });

  it('goes back to the list from a conflict', async () => {
    const { dialog } = open({
      listUnits: unitsReply(UNITS),
      saveMapping: async () => {
        throw bridgeError({ kind: 'api', status: 409, code: 'conflict', conflict: { unitMappedTo: mapping(UNITS[1]!, OTHER_LOCK), lockMappedTo: null } });
      },
    });
    fireEvent.click((await within(dialog).findAllByRole('button', { name: 'A-12' }))[0]!);
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Choose another unit' }));
    expect(within(dialog).getByRole('searchbox', { name: 'Search units' })).toBeTruthy();
  });

  it('reports a queued save, a stale list, and a refused save', async () => {
    const queued = open({ listUnits: unitsReply(UNITS, { stale: true }), saveMapping: async () => ({ status: 'queued', queueItemId: 'q1' }) });
    expect(await within(queued.dialog).findByText(/this is the unit list saved earlier/)).toBeTruthy();
    fireEvent.click(within(queued.dialog).getAllByRole('button', { name: 'A-13' })[0]!);
    await waitFor(() => expect(queued.onClose).toHaveBeenCalledWith({ kind: 'queued', unit: UNITS[2] }));
    cleanup();

    const refused = open({
      listUnits: unitsReply(UNITS),
      saveMapping: async () => {
        throw bridgeError({ kind: 'api', status: 404, code: 'not_found', message: 'Unit U1003 not found' });
      },
    });
    fireEvent.click((await within(refused.dialog).findAllByRole('button', { name: 'A-13' }))[0]!);
    await waitFor(() => expect(within(refused.dialog).getByRole('alert').textContent).toBe('The API refused the request: Unit U1003 not found'));
    expect(refused.onClose).not.toHaveBeenCalled();
  });

  it('searches by name, spelling-insensitively, and says when nothing matches', async () => {
    const { dialog } = open({ listUnits: unitsReply(UNITS) });
    const search = await within(dialog).findByRole('searchbox', { name: 'Search units' });
    fireEvent.input(search, { target: { value: 'a13' } });
    const all = within(dialog).getByRole('region', { name: 'All units' });
    expect(within(all).getAllByRole('button').map((b) => b.textContent)).toEqual(['A-13']);
    expect(within(dialog).queryByRole('region', { name: 'Suggested for this lock' })).toBeNull();
    fireEvent.input(search, { target: { value: 'zzz' } });
    expect(within(dialog).getByText('No unit matches “zzz”.')).toBeTruthy();
  });

  it('keeps focus inside (Tab wraps) and closes on Escape', async () => {
    const { dialog, onClose } = open({ listUnits: unitsReply(UNITS) });
    const search = await within(dialog).findByRole('searchbox', { name: 'Search units' });
    await waitFor(() => expect(document.activeElement).toBe(search));
    const close = within(dialog).getByRole('button', { name: 'Close' });
    close.focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(search);
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledWith(null);
  });
});

describe('MapLockButton', () => {
  it('shows the current mapping, maps through the dialog, announces it and returns focus', async () => {
    const { calls } = renderUi(<MapLockButton lock={LOCK} />, {
      getMappingForLock: async () => ({ mapping: null, stale: false, queued: null }),
      listUnits: unitsReply(UNITS),
      saveMapping: async () => ({ status: 'saved', mapping: mapping(UNITS[1]!) }),
    });
    expect(await screen.findByText('Not mapped to a unit yet')).toBeTruthy();
    const opener = screen.getByRole('button', { name: 'Map to Tapkey lock' });
    expect(opener.getAttribute('aria-haspopup')).toBe('dialog');
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog');
    fireEvent.click((await within(dialog).findAllByRole('button', { name: 'A-12' }))[0]!);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('status').textContent).toBe('Lock “A12 door” is now mapped to unit A-12.');
    expect(screen.getByText('Mapped to unit A-12')).toBeTruthy();
    expect(document.activeElement).toBe(opener);
    expect(calls[0]).toEqual({ type: 'getMappingForLock', lockId: LOCK.id });
  });

  it('shows a queued mapping as waiting', async () => {
    renderUi(<MapLockButton lock={LOCK} />, { getMappingForLock: async () => ({ mapping: null, stale: true, queued: { unitExternalId: 'U1002', unitName: 'A-12' } }) });
    expect(await screen.findByText('Mapping to unit A-12 is waiting to be sent')).toBeTruthy();
  });

  it('explains why the current mapping is unknown', async () => {
    renderUi(<MapLockButton lock={LOCK} />, {
      getMappingForLock: async () => {
        throw bridgeError({ kind: 'not_configured' });
      },
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/not set up yet/));
    expect(screen.getByRole('button', { name: 'Map to Tapkey lock' })).toBeTruthy();
  });

  it('copies the lock ID, or shows it when the clipboard refuses', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderUi(<MapLockButton lock={LOCK} />, { getMappingForLock: async () => ({ mapping: null, stale: false, queued: null }) });
    fireEvent.click(screen.getByRole('button', { name: 'Copy lock ID' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(`Lock ID ${LOCK.id} copied.`));
    expect(writeText).toHaveBeenCalledWith(LOCK.id);

    writeText.mockRejectedValueOnce(new Error('denied'));
    fireEvent.click(screen.getByRole('button', { name: 'Copy lock ID' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(`Could not copy to the clipboard. The lock ID is ${LOCK.id}.`));
  });
});

describe('CaptureLocksButton', () => {
  const locks = [
    { id: LOCK.id, title: 'A12 door', pageUrl: LOCK.pageUrl },
    { id: OTHER_LOCK, title: 'Main entrance', pageUrl: 'https://my.tapkey.com/x' },
  ];

  it('captures all locks and reports new and known counts', async () => {
    const { calls } = renderUi(<CaptureLocksButton locks={locks} />, { captureLocks: async () => ({ status: 'saved', created: 1, updated: 0, unchanged: 1 }) });
    expect(screen.getByText('Locks on this page: 2')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Capture all locks on this page' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Captured 2 locks: 1 new, 1 already known.'));
    expect(calls).toEqual([{ type: 'captureLocks', locks }]);
  });

  it('reports queued captures and errors', async () => {
    renderUi(<CaptureLocksButton locks={locks} />, { captureLocks: async () => ({ status: 'queued', queueItemId: 'q' }) });
    fireEvent.click(screen.getByRole('button', { name: 'Capture all locks on this page' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/2 locks are queued/));
    cleanup();
    renderUi(<CaptureLocksButton locks={locks} />, {
      captureLocks: async () => {
        throw bridgeError({ kind: 'unauthorized' });
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Capture all locks on this page' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/refused the token \(401\)/));
  });
});

describe('TapkeyPortalPanel', () => {
  it('shows the lock control, the capture control, or nothing, following the page', async () => {
    const page = signal<PortalPage>({ kind: 'lock', lock: LOCK });
    renderUi(<TapkeyPortalPanel page={page} />, { getMappingForLock: async () => ({ mapping: null, stale: false, queued: null }) });
    expect(screen.getByRole('button', { name: 'Map to Tapkey lock' })).toBeTruthy();
    page.value = { kind: 'list', locks: [{ id: LOCK.id, title: 'A12 door', pageUrl: LOCK.pageUrl }] };
    expect(await screen.findByRole('button', { name: 'Capture all locks on this page' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Map to Tapkey lock' })).toBeNull();
    page.value = { kind: 'none' };
    await waitFor(() => expect(screen.queryByRole('button')).toBeNull());
  });
});

const SETTINGS: SettingsView = {
  apiUrl: '',
  hasToken: false,
  tokenHint: null,
  locationId: null,
  language: null,
  effectiveLanguage: 'en',
  defaultPortalOrigin: 'https://my.tapkey.com',
  portalOrigins: [],
};
const ORG = { id: '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1', name: 'Demo storage', createdAt: at };

describe('ConnectionSettings', () => {
  it('has labelled fields and refuses a URL that is not http(s) beside the field', async () => {
    const { calls } = renderUi(<ConnectionSettings settings={SETTINGS} onSaved={vi.fn()} requestOrigin={vi.fn()} />);
    const url = screen.getByLabelText('API URL');
    expect(screen.getByLabelText('API token').getAttribute('type')).toBe('password');
    fireEvent.input(url, { target: { value: 'api.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toContain(screen.getByText(/Enter a full http:\/\/ or https:\/\/ address/).id);
    expect(calls).toEqual([]);
  });

  it('saves, then tests, and shows "Connected to <organization>"', async () => {
    const onSaved = vi.fn();
    const saved = { ...SETTINGS, apiUrl: 'http://127.0.0.1:8787', hasToken: true, tokenHint: '…abcd' };
    const { calls } = renderUi(<ConnectionSettings settings={SETTINGS} onSaved={onSaved} requestOrigin={vi.fn()} />, {
      saveSettings: async () => saved,
      testConnection: async () => ({ organization: ORG, tokenName: 'bootstrap', apiVersion: '0.1.0' }),
    });
    fireEvent.input(screen.getByLabelText('API URL'), { target: { value: 'http://127.0.0.1:8787/' } });
    fireEvent.input(screen.getByLabelText('API token'), { target: { value: 'ab_secret_abcd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Connected to Demo storage'));
    expect(onSaved).toHaveBeenCalledWith(saved);
    expect(calls).toEqual([
      { type: 'saveSettings', apiUrl: 'http://127.0.0.1:8787/', token: 'ab_secret_abcd' },
      { type: 'testConnection', apiUrl: 'http://127.0.0.1:8787' },
    ]);
    expect((screen.getByLabelText('API token') as HTMLInputElement).value).toBe('');
  });

  it('explains a wrong token and a wrong URL', async () => {
    const errors = [bridgeError({ kind: 'unauthorized', status: 401 }), bridgeError({ kind: 'not_accessbridge' })];
    renderUi(<ConnectionSettings settings={{ ...SETTINGS, apiUrl: 'http://127.0.0.1:8787', hasToken: true }} onSaved={vi.fn()} requestOrigin={vi.fn()} />, {
      testConnection: async () => {
        throw errors.shift();
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The API refused the token (401). Check the API token in the extension options.'));
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/not an AccessBridge API/));
  });

  it('offers to allow the API origin when it cannot be reached without it, then tests again', async () => {
    const requestOrigin = vi.fn(async () => true);
    const replies: unknown[] = [bridgeError({ kind: 'unreachable', originPermission: false }), { organization: ORG, tokenName: 't', apiVersion: '1' }];
    renderUi(<ConnectionSettings settings={{ ...SETTINGS, apiUrl: 'https://api.example.com', hasToken: true }} onSaved={vi.fn()} requestOrigin={requestOrigin} />, {
      testConnection: async () => {
        const next = replies.shift();
        if (next instanceof Error) throw next;
        return next as ResponseMap['testConnection'];
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const allow = await screen.findByRole('button', { name: 'Allow access to https://api.example.com' });
    expect(screen.getByRole('alert').textContent).toMatch(/CORS/);
    fireEvent.click(allow);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Connected to Demo storage'));
    expect(requestOrigin).toHaveBeenCalledWith('https://api.example.com');
  });
});

describe('PreferencesSettings', () => {
  it('lists the locations and saves the choice and the language', async () => {
    const onSaved = vi.fn();
    const settings = { ...SETTINGS, apiUrl: 'http://api', hasToken: true };
    const location = { id: ORG.id, name: 'North site', timeZone: 'Europe/Vienna', tapkey: null, keycafe: null, createdAt: at, updatedAt: at };
    const { calls } = renderUi(<PreferencesSettings settings={settings} onSaved={onSaved} connectionKey={0} />, {
      listLocations: async () => ({ items: [location] }),
      savePreferences: async () => ({ ...settings, locationId: ORG.id }),
    });
    const select = screen.getByLabelText('Location') as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All locations', 'North site']);
    fireEvent.change(select, { target: { value: ORG.id } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Preferences saved.'));
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    await waitFor(() => expect(calls.filter((c) => c.type === 'savePreferences')).toEqual([
      { type: 'savePreferences', locationId: ORG.id },
      { type: 'savePreferences', language: 'fr' },
    ]));
  });

  it('says to connect first when nothing is configured', () => {
    const { calls } = renderUi(<PreferencesSettings settings={SETTINGS} onSaved={vi.fn()} connectionKey={0} />);
    expect(screen.getByText('Connect to the API to choose a location.')).toBeTruthy();
    expect(calls).toEqual([]);
  });
});

describe('PortalOrigins', () => {
  it('asks the browser for the origin before adding it, and removes one', async () => {
    const requestOrigin = vi.fn(async () => true);
    const onSaved = vi.fn();
    const withOrigin = { ...SETTINGS, portalOrigins: ['https://portal.example.com'] };
    const { calls } = renderUi(<PortalOrigins settings={withOrigin} onSaved={onSaved} requestOrigin={requestOrigin} />, {
      addPortalOrigin: async () => ({ ...withOrigin, portalOrigins: ['https://portal.example.com', 'http://127.0.0.1:4000'] }),
      removePortalOrigin: async () => SETTINGS,
    });
    expect(screen.getByText('https://my.tapkey.com (always on)')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Another portal address'), { target: { value: 'http://127.0.0.1:4000/owners/1/locks' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('AccessBridge now works on http://127.0.0.1:4000.'));
    expect(requestOrigin).toHaveBeenCalledWith('http://127.0.0.1:4000');

    fireEvent.click(screen.getByRole('button', { name: 'Remove https://portal.example.com' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('AccessBridge no longer runs on https://portal.example.com.'));
    expect(calls).toEqual([
      { type: 'addPortalOrigin', origin: 'http://127.0.0.1:4000' },
      { type: 'removePortalOrigin', origin: 'https://portal.example.com' },
    ]);
  });

  it('adds nothing when the permission is refused or the address is not a URL', async () => {
    const { calls } = renderUi(<PortalOrigins settings={SETTINGS} onSaved={vi.fn()} requestOrigin={async () => false} />);
    const input = screen.getByLabelText('Another portal address');
    fireEvent.input(input, { target: { value: 'portal' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.input(input, { target: { value: 'https://portal.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Access to https://portal.example.com was not granted.'));
    expect(calls).toEqual([]);
  });
});

describe('QueueList', () => {
  const item = (id: string, state: 'pending' | 'failed') => ({
    id,
    state,
    createdAt: at,
    attempts: 1,
    lastError: state === 'failed' ? { message: 'Unit U9 not found', status: 404 } : null,
    op: { kind: 'saveMapping' as const, unitExternalId: 'U9', unitName: 'Z-9', lockId: LOCK.id, replace: false, lock: { ...LOCK } },
  });

  it('lists waiting and failed changes with retry and discard', async () => {
    const items = [item('a', 'failed'), item('b', 'pending')];
    const { calls } = renderUi(<QueueList version={0} />, {
      listQueue: async () => ({ items, counts: { pending: 1, failed: 1 } }),
      discardQueueItem: async () => ({ items: [items[1]!], counts: { pending: 1, failed: 0 } }),
    });
    expect(await screen.findByText('Waiting: 1. Failed: 1.')).toBeTruthy();
    expect(screen.getByText('Failed: Unit U9 not found')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry: Map lock “A12 door” to unit Z-9' })).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: 'Discard: Map lock “A12 door” to unit Z-9' })[0]!);
    await waitFor(() => expect(screen.getByText('Waiting: 1. Failed: 0.')).toBeTruthy());
    expect(calls.at(-1)).toEqual({ type: 'discardQueueItem', id: 'a' });
  });

  it('says when nothing waits, and when sending still fails', async () => {
    renderUi(<QueueList version={0} />, { listQueue: async () => ({ items: [], counts: { pending: 0, failed: 0 } }) });
    expect(await screen.findByText('Nothing is waiting: every change reached the API.')).toBeTruthy();
    cleanup();
    renderUi(<QueueList version={0} />, {
      listQueue: async () => ({ items: [item('b', 'pending')], counts: { pending: 1, failed: 0 } }),
      replayQueue: async () => ({ items: [item('b', 'pending')], counts: { pending: 1, failed: 0 } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Send now' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The API still cannot be reached. Changes waiting: 1.'));
  });
});
