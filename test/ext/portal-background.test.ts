/**
 * The background's answers to the portal content script's setup (entrypoints/background/portal.ts):
 * one language's strings, and the mapping dialog's code injected into the sender's own frame.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPortalHandlers } from '../../entrypoints/background/portal.ts';
import { portalStrings } from '../../lib/i18n/portal-strings.ts';
import type { HandlerContext } from '../../lib/messages.ts';

const handlers = createPortalHandlers({ language: async () => 'de' });
const fromPortal = (tab: Partial<HandlerContext> = {}): HandlerContext => ({ kind: 'content-script', url: 'https://my.tapkey.com/#/locks/x', ...tab });

beforeEach(() => fakeBrowser.reset());

describe('portal setup messages', () => {
  it('sends the user’s language and its strings only', async () => {
    const answer = await handlers.portalPage({ type: 'portalPage' }, fromPortal({ tabId: 3 }));
    expect(answer).toEqual({ language: 'de', strings: portalStrings('de') });
    expect(answer.strings['tapkey.map.button']).toBe(portalStrings('de')['tapkey.map.button']);
    expect(answer.strings['tapkey.map.button']).not.toBe(portalStrings('en')['tapkey.map.button']);
  });

  it('injects the dialog’s script into the sender’s frame, and refuses a sender without a tab', async () => {
    const executeScript = vi.fn(async () => []);
    (fakeBrowser as unknown as { scripting: { executeScript: typeof executeScript } }).scripting.executeScript = executeScript;
    expect(await handlers.portalDialogs({ type: 'portalDialogs' }, fromPortal({ tabId: 3, frameId: 2 }))).toEqual({ injected: true });
    expect(executeScript).toHaveBeenCalledWith({ target: { tabId: 3, frameIds: [2] }, files: ['/portal-dialogs.js'] });
    await expect(handlers.portalDialogs({ type: 'portalDialogs' }, fromPortal())).rejects.toMatchObject({ info: { kind: 'forbidden' } });
  });
});
