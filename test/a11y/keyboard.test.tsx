// @vitest-environment happy-dom
/**
 * Keyboard use of the dialogs without a component test of their own (the manager's lock
 * picker), and the options page's guided setup: its progress follows the real state.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { LockPickerDialog } from '../../components/manager/LockPickerDialog.tsx';
import { SetupGuide } from '../../components/options/SetupGuide.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import type { AnyMessageInput, LockChoice, Send, SettingsView, SiteProfilesView } from '../../lib/messages.ts';

afterEach(cleanup);

function withUi(ui: ComponentChildren, reply: (m: AnyMessageInput) => unknown, lang: Language = 'en') {
  const send = (async (m: AnyMessageInput) => reply(m)) as Send;
  return render(<UiContext.Provider value={createUi(lang, send, translate)}>{ui}</UiContext.Provider>);
}

const LOCKS: LockChoice[] = [
  { id: 'ea610634-4fc0-4084-85b2-bebf52c3595f', title: 'Unit A-01', source: 'captured', mappedTo: null },
  { id: 'bd2d5ff1-35f2-4a5e-9d1c-03e3a0f1a111', title: 'Unit A-02', source: 'captured', mappedTo: null },
];

function PickerHost() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {translate('en', 'manager.unit.map')}
      </button>
      {open ? <LockPickerDialog unit={{ externalId: 'U1000', name: 'A-01', location: null }} current={null} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

describe('manager lock picker dialog, by keyboard', () => {
  it('moves focus in, keeps Tab inside, closes on Escape and gives focus back to the opener', async () => {
    withUi(<PickerHost />, (m) => (m.type === 'listLocks' ? { items: LOCKS, total: 2, truncated: false } : null));
    const opener = screen.getByRole('button', { name: 'Map to Tapkey lock' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));

    const close = screen.getByRole('button', { name: 'Close' });
    close.focus();
    fireEvent.keyDown(close, { key: 'Tab' });
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(close);
    const first = document.activeElement as HTMLElement;
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);

    fireEvent.keyDown(close, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
  });
});

const settings = (over: Partial<SettingsView> = {}): SettingsView => ({
  apiUrl: 'http://127.0.0.1:8787',
  hasToken: true,
  tokenHint: 'abcd',
  locationId: null,
  language: null,
  effectiveLanguage: 'en',
  defaultPortalOrigin: 'https://my.tapkey.com',
  portalOrigins: [],
  ...over,
});

function guideReplies(state: string, granted: boolean) {
  const profiles: SiteProfilesView = {
    invalid: 0,
    profiles: granted ? [{ profile: { name: 'Demo' } as never, pattern: 'http://127.0.0.1/*', active: true, granted: true, registered: true }] : [],
  };
  return (m: AnyMessageInput) => {
    if (m.type === 'status') return { state, organizationName: 'Demo', checkedAt: null, message: null, queue: { pending: 0, failed: 0 }, language: 'en' };
    if (m.type === 'listSiteProfiles') return profiles;
    throw new Error(`unexpected ${m.type}`);
  };
}

describe('guided setup', () => {
  it('starts at "connect" with nothing done', async () => {
    withUi(<SetupGuide settings={settings({ hasToken: false })} />, guideReplies('not_configured', false));
    const bar = await screen.findByRole('progressbar');
    expect(bar.getAttribute('value')).toBe('0');
    expect(bar.getAttribute('aria-valuetext')).toBe('Step 0 of 4 done');
    const current = screen.getByText('Connect to the AccessBridge API').closest('li')!;
    expect(current.getAttribute('aria-current')).toBe('step');
  });

  it('points at the manager site once connected with a location', async () => {
    withUi(<SetupGuide settings={settings({ locationId: '3f2b8f8e-0000-4000-8000-000000000001' })} />, guideReplies('connected', false));
    await waitFor(() => expect(screen.getByRole('progressbar').getAttribute('value')).toBe('2'));
    expect(screen.getByText('Grant access to your manager site').closest('li')!.getAttribute('aria-current')).toBe('step');
  });

  it('does not count a location chosen under a connection that fails', async () => {
    withUi(<SetupGuide settings={settings({ locationId: '3f2b8f8e-0000-4000-8000-000000000001' })} />, guideReplies('unauthorized', true));
    await waitFor(() => expect(screen.getByRole('progressbar').getAttribute('value')).toBe('0'));
  });

  it('announces when everything is set up, in the chosen language', async () => {
    withUi(<SetupGuide settings={settings({ locationId: '3f2b8f8e-0000-4000-8000-000000000001' })} />, guideReplies('connected', true), 'de');
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Alles bereit/));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('4 von 4 Schritten erledigt');
    expect(screen.getByRole('heading', { name: 'Erste Schritte' })).toBeTruthy();
  });
});
