// @vitest-environment happy-dom
/**
 * The options page's Keycafe account section: the credential type (API token, API key, or
 * "not sure: try both") with how to get each, Save, and "Test connection" listing every
 * Keycafe call tried and what failed, in the Keycafe dashboard's words (the API's text).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { KeycafeConnectionSettings } from '../../components/options/KeycafeConnectionSettings.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { translate } from '../../lib/i18n/index.ts';
import type { AnyMessageInput, KeycafeConnectionView, KeycafeTestView, Send } from '../../lib/messages.ts';

afterEach(cleanup);

const LOC = '6f1b2c9e-1111-4222-8333-944455556666';
const conn: KeycafeConnectionView = { locationId: LOC, name: 'Berlin Mitte', accountEmail: 'ops@example.com', authType: null, hasSecret: true };

function renderSection(test: (m: AnyMessageInput) => KeycafeTestView) {
  const calls: AnyMessageInput[] = [];
  const send = (async (m: AnyMessageInput) => {
    calls.push(m);
    if (m.type === 'keycafeConnections') return { items: [conn] };
    if (m.type === 'keycafeTestConnection') return test(m);
    if (m.type === 'keycafeSaveConnection') return { ...conn, authType: (m as { authType?: 'token' | 'key' }).authType ?? null };
    throw new Error(`unexpected ${m.type}`);
  }) as Send;
  render(
    <UiContext.Provider value={createUi('en', send, translate)}>
      <KeycafeConnectionSettings />
    </UiContext.Provider>,
  );
  return calls;
}

describe('Keycafe account in the options', () => {
  it('explains how to get a token and a key, and tries both when unsure, listing each call', async () => {
    const calls = renderSection(() => ({
      ok: true,
      authType: 'key',
      keys: 12,
      locations: 2,
      skipped: 0,
      calls: [
        { call: 'GET /v0/key', authType: 'token', ok: false, status: 400, errorId: 'unauthorized', message: 'Keycafe did not accept this email with this API token ("ops@example.com/token").' },
        { call: 'GET /v0/key', authType: 'key', ok: true, status: 200, errorId: null, message: 'answered' },
      ],
    }));
    expect((await screen.findByRole('radio', { name: 'Not sure: try both' })).hasAttribute('checked') || (screen.getByRole('radio', { name: 'Not sure: try both' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('radio', { name: 'API token' }).getAttribute('aria-describedby')).toBeTruthy();
    expect(document.body.textContent).toContain('https://www.keycafe.com/v0/authorization');
    expect(document.body.textContent).toContain('generated in your Keycafe account settings');
    fireEvent.click(screen.getByRole('button', { name: 'Test Keycafe connection' }));
    const list = await screen.findByRole('list', { name: 'Calls made' });
    const items = within(list).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'GET /v0/key (API token): failed — Keycafe did not accept this email with this API token ("ops@example.com/token").',
      'GET /v0/key (API key): answered',
    ]);
    expect(screen.getByText('Keycafe answered with the API key: 12 keys in 2 SmartBox locations')).toBeTruthy();
    expect(calls.find((m) => m.type === 'keycafeTestConnection')).toEqual({ type: 'keycafeTestConnection', locationId: LOC, accountEmail: 'ops@example.com' });
  });

  it('an explicit choice and a typed secret are sent; a refusal shows Keycafe’s words and the calls', async () => {
    const calls = renderSection(() => ({
      ok: false,
      message: 'Keycafe did not accept this email with this API key ("ops@example.com/key").',
      calls: [{ call: 'GET /v0/key', authType: 'key', ok: false, status: 401, errorId: 'unauthorized', message: 'Keycafe did not accept this email with this API key ("ops@example.com/key").' }],
    }));
    fireEvent.click(await screen.findByRole('radio', { name: 'API key' }));
    fireEvent.input(screen.getByLabelText('Token or key'), { target: { value: 'kc-secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save Keycafe account' }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Calls made' })).getAllByRole('listitem')).toHaveLength(1));
    expect(calls.find((m) => m.type === 'keycafeSaveConnection')).toEqual({ type: 'keycafeSaveConnection', locationId: LOC, accountEmail: 'ops@example.com', secret: 'kc-secret', authType: 'key' });
    expect(screen.getAllByText(/Keycafe did not accept this email with this API key/).length).toBeGreaterThan(0);
    // The secret never stays in the form after saving.
    expect((screen.getByLabelText('Token or key') as HTMLInputElement).value).toBe('');
  });
});
