import { describe, expect, it, vi } from 'vitest';
import {
  BridgeRequestError,
  classifySender,
  contentScriptTypes,
  createMessageRouter,
  createSender,
  messageSchema,
  messageSchemas,
  type Handlers,
  type MessageType,
  type SenderPolicy,
} from '../../lib/messages.ts';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const policy: SenderPolicy = {
  extensionId: EXT_ID,
  extensionOrigin: `chrome-extension://${EXT_ID}`,
  contentScriptOrigins: ['https://my.tapkey.com', 'http://127.0.0.1:4000'],
};
const LOCK = 'ea610634-4fc0-4084-85b2-bebf52c3595f';

const optionsPage = { id: EXT_ID, url: `chrome-extension://${EXT_ID}/options.html`, tab: { id: 3 } };
const portalScript = { id: EXT_ID, url: `https://my.tapkey.com/#/owners/1/locks/${LOCK}`, tab: { id: 7 } };

describe('message schemas', () => {
  it('accepts well-formed messages and applies defaults', () => {
    expect(messageSchema.parse({ type: 'status' })).toEqual({ type: 'status', refresh: false });
    expect(
      messageSchema.parse({ type: 'saveMapping', unitExternalId: ' U1000 ', lockId: LOCK.toUpperCase(), lock: { title: ' Unit A-01 ', pageUrl: 'https://my.tapkey.com/x' } }),
    ).toEqual({ type: 'saveMapping', unitExternalId: 'U1000', lockId: LOCK, replace: false, lock: { title: 'Unit A-01', pageUrl: 'https://my.tapkey.com/x' } });
    expect(messageSchemas.addPortalOrigin.parse({ type: 'addPortalOrigin', origin: 'https://Portal.Example.com/some/page?x=1' })).toEqual({
      type: 'addPortalOrigin',
      origin: 'https://portal.example.com',
    });
  });

  it.each([
    ['an unknown type', { type: 'getToken' }],
    ['no type', { lockId: LOCK }],
    ['a lock ID that is not a UUID', { type: 'getMappingForLock', lockId: 'A-12' }],
    ['an empty unit', { type: 'saveMapping', unitExternalId: '  ', lockId: LOCK }],
    ['a javascript: page URL', { type: 'captureLocks', locks: [{ id: LOCK, title: 'x', pageUrl: 'javascript:alert(1)' }] }],
    ['no locks', { type: 'captureLocks', locks: [] }],
    ['an API URL that is not http(s)', { type: 'saveSettings', apiUrl: 'ftp://api.example.com' }],
    ['a non-UUID location', { type: 'savePreferences', locationId: 'north' }],
    ['an unknown language', { type: 'savePreferences', language: 'es' }],
    ['a string', 'ping'],
  ])('refuses %s', (_, message) => {
    expect(messageSchema.safeParse(message).success).toBe(false);
  });
});

describe('classifySender', () => {
  it('knows our pages and our content scripts on permitted origins', () => {
    expect(classifySender(optionsPage, policy)).toBe('extension-page');
    expect(classifySender({ id: EXT_ID, url: `chrome-extension://${EXT_ID}/popup.html` }, policy)).toBe('extension-page');
    expect(classifySender(portalScript, policy)).toBe('content-script');
    expect(classifySender({ id: EXT_ID, url: 'http://127.0.0.1:4000/locks', tab: { id: 1 } }, policy)).toBe('content-script');
  });

  it.each([
    ['another extension', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/page.html' }],
    ['another extension claiming our page URL', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: `chrome-extension://${EXT_ID}/options.html` }],
    ['a web page (no extension id)', { url: 'https://evil.example/', tab: { id: 1 } }],
    ['our content script on a page that is not permitted', { id: EXT_ID, url: 'https://evil.example/locks/x', tab: { id: 2 } }],
    ['a look-alike portal origin', { id: EXT_ID, url: 'https://my.tapkey.com.evil.example/', tab: { id: 2 } }],
    ['the portal over plain http', { id: EXT_ID, url: 'http://my.tapkey.com/', tab: { id: 2 } }],
    ['a portal URL without a tab', { id: EXT_ID, url: 'https://my.tapkey.com/' }],
    ['no URL', { id: EXT_ID }],
  ])('refuses %s', (_, sender) => {
    expect(classifySender(sender, policy)).toBeNull();
  });
});

describe('message router', () => {
  function setup() {
    const calls: string[] = [];
    const handlers = new Proxy({} as Handlers, {
      get: (_, type: string) => async () => {
        calls.push(type);
        if (type === 'listUnits') throw new Error('boom');
        return { handled: type };
      },
    });
    const router = createMessageRouter({
      handlers,
      policy: async () => policy,
      toError: (e) => ({ kind: 'internal', message: (e as Error).message, fieldErrors: [] }),
    });
    return { router, calls };
  }

  it('runs the handler for a permitted sender and message', async () => {
    const { router, calls } = setup();
    expect(await router({ type: 'getSettings' }, optionsPage)).toEqual({ ok: true, data: { handled: 'getSettings' } });
    expect(await router({ type: 'getMappingForLock', lockId: LOCK }, portalScript)).toEqual({ ok: true, data: { handled: 'getMappingForLock' } });
    expect(calls).toEqual(['getSettings', 'getMappingForLock']);
  });

  it('gives content scripts only the narrow allow-list: never settings, token tests or the queue', async () => {
    const { router, calls } = setup();
    const forbidden = (Object.keys(messageSchemas) as MessageType[]).filter((t) => !contentScriptTypes.has(t));
    expect(forbidden).toEqual(
      expect.arrayContaining(['getSettings', 'saveSettings', 'savePreferences', 'testConnection', 'listQueue', 'discardQueueItem', 'addPortalOrigin']),
    );
    const samples: Record<string, unknown> = {
      saveSettings: { apiUrl: 'https://evil.example' },
      retryQueueItem: { id: 'x' },
      discardQueueItem: { id: 'x' },
      addPortalOrigin: { origin: 'https://evil.example' },
      removePortalOrigin: { origin: 'https://my.tapkey.com' },
    };
    for (const type of forbidden) {
      const reply = await router({ type, ...(samples[type] as object) }, portalScript);
      expect(reply, type).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses other extensions and web pages before looking at the message', async () => {
    const { router, calls } = setup();
    expect(await router({ type: 'ping' }, { id: 'other', url: 'chrome-extension://other/x.html' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await router({ type: 'ping' }, { url: 'https://evil.example/', tab: { id: 1 } })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('answers invalid messages with field errors and handler failures with the mapped error', async () => {
    const { router } = setup();
    const bad = await router({ type: 'getMappingForLock', lockId: 'nope' }, optionsPage);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'bad_message', fieldErrors: [{ path: 'lockId' }] } });
    expect(await router({ type: 'listUnits' }, portalScript)).toEqual({ ok: false, error: { kind: 'internal', message: 'boom', fieldErrors: [] } });
  });
});

describe('createSender', () => {
  it('returns the data of a successful reply', async () => {
    const transport = vi.fn(async () => ({ ok: true, data: { pong: true, version: '1' } }));
    expect(await createSender(transport)({ type: 'ping' })).toEqual({ pong: true, version: '1' });
    expect(transport).toHaveBeenCalledWith({ type: 'ping' });
  });

  it('throws the background’s error, or an internal one when there is no answer', async () => {
    const error = { kind: 'unauthorized', message: 'Invalid token', status: 401, fieldErrors: [] };
    await expect(createSender(async () => ({ ok: false, error }))({ type: 'status' })).rejects.toEqual(new BridgeRequestError(error as never));
    await expect(createSender(async () => undefined)({ type: 'status' })).rejects.toMatchObject({ error: { kind: 'internal' } });
    await expect(createSender(async () => Promise.reject(new Error('Extension context invalidated.')))({ type: 'status' })).rejects.toMatchObject({
      error: { kind: 'internal', message: 'Extension context invalidated.' },
    });
  });
});
