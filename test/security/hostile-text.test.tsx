// @vitest-environment happy-dom
/**
 * Page and API text is data, never markup. Unit names, lock titles, organization and location
 * names, key names and error messages carrying HTML/script are rendered by the real components
 * (and the real portal content script on a hostile page): each must show as the same text, and
 * no element, attribute, handler or script of it may exist afterwards. A static check keeps
 * HTML sinks out of the UI sources.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signal } from '@preact/signals';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaptureLocksButton } from '../../components/CaptureLocksButton.tsx';
import { ConnectionSettings } from '../../components/ConnectionSettings.tsx';
import { MapLockButton } from '../../components/MapLockButton.tsx';
import { MapLockDialog } from '../../components/MapLockDialog.tsx';
import { PortalDialogsContext } from '../../components/portal/dialogs.ts';
import { eagerPortalDialogs } from '../../components/portal/eager-dialogs.ts';
import { PreferencesSettings } from '../../components/PreferencesSettings.tsx';
import { QueueList } from '../../components/QueueList.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TapkeyPortalPanel, type PortalPage } from '../../components/TapkeyPortalPanel.tsx';
import { KeycafeApiContext } from '../../components/keycafe/context.ts';
import type { KeycafeApi } from '../../components/keycafe/api.ts';
import { KeySearch } from '../../components/keycafe/KeySearch.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import type { KeycafeKey, Mapping, Unit } from '../../lib/contract.ts';
import { translate } from '../../lib/i18n/index.ts';
import { BridgeRequestError, type AnyMessageInput, type MessageType, type ResponseMap, type Send, type SettingsView } from '../../lib/messages.ts';
import portalDialogsScript from '../../entrypoints/portal-dialogs.tsx';
import portalScript from '../../entrypoints/tapkey.content/index.tsx';
import { portalStrings } from '../../lib/i18n/portal-strings.ts';
import { UI_TAG } from '../../entrypoints/tapkey.content/page.ts';
import { recordShadowRoots, shadowRootOf, userEventsAreTrusted } from '../helpers/page-isolation.ts';

// The portal script's UI is in a closed shadow root and acts on trusted events only.
recordShadowRoots();
userEventsAreTrusted();

/** Each one would run code or add an element if it reached the DOM as HTML. */
const HOSTILE = [
  '<img src=x onerror="globalThis.__pwned=1" data-pwned>',
  '<script data-pwned>globalThis.__pwned=2</script>',
  '"><svg data-pwned onload="globalThis.__pwned=3">',
  "'><iframe data-pwned srcdoc='<script>parent.__pwned=4</script>'></iframe>",
  '<a data-pwned href="javascript:globalThis.__pwned=5">A-12</a>',
  '<style data-pwned>*{display:none}</style>A-13',
] as const;

const at = '2026-01-01T00:00:00.000Z';
const LOCK_ID = 'ea610634-4fc0-4084-85b2-bebf52c3595f';
const unit = (n: number, name: string): Unit => ({ id: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, externalId: `U${1000 + n}`, name, locationId: null, createdAt: at, updatedAt: at });
const UNITS = HOSTILE.map((name, i) => unit(i + 1, name));
const LOCK = { id: LOCK_ID, title: HOSTILE[0], pageUrl: `https://my.tapkey.com/#/locks/${LOCK_ID}` };
const OTHER_LOCK_ID = 'bd2d5ff1-35f2-4a5e-9d1c-03e3a0f1a111';
const mapping = (u: Unit, title: string, lockId = LOCK_ID): Mapping => ({
  unitId: u.id,
  lockId,
  unit: u,
  lock: { id: lockId, title, source: 'captured', locationId: null, capturedUrl: null, createdAt: at, updatedAt: at },
  createdAt: at,
});

type Handlers = { [T in MessageType]?: (message: Extract<AnyMessageInput, { type: T }>) => Promise<ResponseMap[T]> };

function renderUi(ui: ComponentChildren, handlers: Handlers = {}) {
  const send = (async (message: AnyMessageInput) => {
    const handler = handlers[message.type] as ((m: AnyMessageInput) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`unexpected message ${message.type}`);
    return handler(message);
  }) as Send;
  return render(
    <UiContext.Provider value={createUi('en', send, translate)}>
      <PortalDialogsContext.Provider value={eagerPortalDialogs}>{ui}</PortalDialogsContext.Provider>
    </UiContext.Provider>,
  );
}

/** An element's shadow root, open or (ours, recorded) closed. */
const rootOf = (el: Element) => el.shadowRoot ?? shadowRootOf(el);

/** Every element under `root`, shadow roots included. */
function allElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    out.push(el);
    const shadow = rootOf(el);
    if (shadow) out.push(...allElements(shadow));
  }
  return out;
}

/** Nothing of the payloads became markup, and `texts` are all visible as text. */
function expectInert(root: ParentNode & { textContent: string | null }, texts: readonly string[]) {
  const elements = allElements(root);
  expect(elements.filter((el) => el.hasAttribute('data-pwned')).map((el) => el.outerHTML)).toEqual([]);
  expect(elements.filter((el) => ['SCRIPT', 'IFRAME', 'IMG', 'OBJECT', 'EMBED'].includes(el.tagName)).map((el) => el.tagName)).toEqual([]);
  const handlers = elements.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`));
  expect(handlers).toEqual([]);
  expect(elements.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? '')).length).toBe(0);
  expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  const text = [root.textContent ?? '', ...elements.flatMap((e) => rootOf(e)?.textContent ?? [])].join('\n');
  for (const t of texts) expect(text, `shows ${t} as text`).toContain(t);
}

beforeEach(() => {
  delete (globalThis as { __pwned?: unknown }).__pwned;
});
afterEach(cleanup);

describe('hostile names render as text in the extension components', () => {
  it('MapLockDialog: a hostile lock title and unit names, searched and in a conflict', async () => {
    const conflict = { unitMappedTo: mapping(UNITS[2]!, HOSTILE[3], OTHER_LOCK_ID), lockMappedTo: mapping(UNITS[1]!, HOSTILE[0]) };
    const view = renderUi(<MapLockDialog lock={LOCK} current={mapping(UNITS[4]!, HOSTILE[0])} onClose={vi.fn()} />, {
      listUnits: async () => ({ items: UNITS, total: UNITS.length, truncated: false, stale: false }),
      saveMapping: async () => {
        throw new BridgeRequestError({ kind: 'api', status: 409, code: 'conflict', message: HOSTILE[1], fieldErrors: [], conflict });
      },
    });
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findAllByText(HOSTILE[2]);
    expectInert(view.container, [...HOSTILE]);
    fireEvent.input(within(dialog).getByRole('searchbox'), { target: { value: 'svg data' } });
    await waitFor(() => expect(within(dialog).queryAllByText(HOSTILE[5])).toEqual([]));
    fireEvent.click(within(dialog).getAllByText(HOSTILE[2])[0]!.closest('button')!);
    await within(dialog).findByText((t) => t.includes(`already mapped to unit ${HOSTILE[1]}`));
    expectInert(view.container, [HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[4]]);
  });

  it('MapLockButton and the portal panel: current mapping, queued mapping and errors', async () => {
    const page = signal<PortalPage>({ kind: 'lock', lock: LOCK });
    const first = renderUi(<TapkeyPortalPanel page={page} />, { getMappingForLock: async () => ({ mapping: mapping(UNITS[0]!, HOSTILE[4]), stale: false, queued: null }) });
    await screen.findByText((t) => t.includes(HOSTILE[0]) && t.startsWith('Mapped'));
    expectInert(first.container, [HOSTILE[0]]);
    cleanup();

    const queued = renderUi(<MapLockButton lock={LOCK} />, { getMappingForLock: async () => ({ mapping: null, stale: true, queued: { unitExternalId: HOSTILE[5], unitName: HOSTILE[1] } }) });
    await screen.findByText((t) => t.includes(HOSTILE[1]));
    expectInert(queued.container, [HOSTILE[1]]);
    cleanup();

    const failing = renderUi(<MapLockButton lock={LOCK} />, {
      getMappingForLock: async () => {
        throw new BridgeRequestError({ kind: 'api', status: 404, message: `Unit ${HOSTILE[2]} not found`, fieldErrors: [] });
      },
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    expectInert(failing.container, []);
  });

  it('CaptureLocksButton with hostile titles on a list page', async () => {
    const locks = HOSTILE.map((title, i) => ({ id: `0000000${i}-4fc0-4084-85b2-bebf52c3595f`, title, pageUrl: 'https://my.tapkey.com/' }));
    const view = renderUi(<CaptureLocksButton locks={locks} />, {
      captureLocks: async () => {
        throw new BridgeRequestError({ kind: 'api', status: 400, message: HOSTILE[3], fieldErrors: [{ path: 'locks.0.title', message: HOSTILE[0] }] });
      },
    });
    fireEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    expectInert(view.container, []);
  });

  it('QueueList: hostile lock titles, unit names and error messages', async () => {
    const items = HOSTILE.map((name, i) => ({
      id: `q${i}`,
      state: 'failed' as const,
      createdAt: at,
      attempts: 1,
      lastError: { message: HOSTILE[(i + 1) % HOSTILE.length]!, status: 400 },
      op: { kind: 'saveMapping' as const, unitExternalId: `U${i}`, unitName: name, lockId: LOCK_ID, replace: false, lock: { ...LOCK, title: HOSTILE[(i + 2) % HOSTILE.length]! } },
    }));
    const view = renderUi(<QueueList version={0} />, { listQueue: async () => ({ items, counts: { pending: 0, failed: items.length } }) });
    await screen.findByText((t) => t.includes(HOSTILE[1]) && t.startsWith('Failed'));
    expectInert(view.container, [...HOSTILE]);
  });

  it('options: a hostile organization name and location names', async () => {
    const settings: SettingsView = {
      apiUrl: 'http://127.0.0.1:8787',
      hasToken: true,
      tokenHint: '…abcd',
      locationId: null,
      language: null,
      effectiveLanguage: 'en',
      defaultPortalOrigin: 'https://my.tapkey.com',
      portalOrigins: [],
    };
    const org = { id: '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1', name: HOSTILE[0], createdAt: at };
    const view = renderUi(
      <>
        <ConnectionSettings settings={settings} onSaved={vi.fn()} requestOrigin={vi.fn()} />
        <PreferencesSettings settings={settings} onSaved={vi.fn()} connectionKey={0} />
      </>,
      {
        testConnection: async () => ({ organization: org, tokenName: HOSTILE[1], apiVersion: HOSTILE[2] }),
        listLocations: async () => ({ items: HOSTILE.map((name, i) => ({ id: `5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f${i}`, name, timeZone: 'UTC', tapkey: null, keycafe: null, createdAt: at, updatedAt: at })) }),
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain(`Connected to ${HOSTILE[0]}`));
    await waitFor(() => expect(within(screen.getByLabelText('Location')).getAllByRole('option').length).toBe(HOSTILE.length + 1));
    expectInert(view.container, [...HOSTILE]);
  });

  it('StatusMessage shows any text as text', () => {
    const view = render(
      <>
        {HOSTILE.map((text, i) => (
          <StatusMessage key={i} notice={{ tone: i % 2 ? 'error' : 'success', text }} />
        ))}
      </>,
    );
    expectInert(view.container, [...HOSTILE]);
  });

  it('Keycafe key search: hostile key names, SmartBox names and serial numbers', async () => {
    const keys: KeycafeKey[] = HOSTILE.map((name, i) => ({
      id: String(10001 + i),
      name,
      serialNumber: HOSTILE[(i + 1) % HOSTILE.length]!,
      locationId: '501',
      locationName: HOSTILE[(i + 2) % HOSTILE.length]!,
      timeZone: 'Europe/Berlin',
      accountLocationId: '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1',
    }));
    const api = {
      can: { listBookings: true, cancel: true },
      accounts: async () => [{ id: '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1', name: HOSTILE[3] }],
      searchKeys: async () => ({ items: keys, total: keys.length }),
    } as unknown as KeycafeApi;
    const view = render(
      <UiContext.Provider value={createUi('en', (async () => undefined) as unknown as Send, translate)}>
        <KeycafeApiContext.Provider value={api}>
          <KeySearch keys={keys.slice(0, 2)} allKeys={false} type="one_time" accountId={null} accounts={null} keysError={HOSTILE[4]} accountError={undefined} onKeys={vi.fn()} onAllKeys={vi.fn()} onAccount={vi.fn()} />
        </KeycafeApiContext.Provider>
      </UiContext.Provider>,
    );
    await waitFor(() => expect(view.container.querySelectorAll('input[type="checkbox"]').length).toBeGreaterThanOrEqual(HOSTILE.length));
    expectInert(view.container, [...HOSTILE]);
  });
});

describe('the portal content script on a hostile page', () => {
  const OWNER = '7d2f3c1e-0b5a-4c7e-9f1a-2b3c4d5e6f70';
  const contexts: ContentScriptContext[] = [];
  let received: AnyMessageInput[];

  beforeEach(() => {
    fakeBrowser.reset();
    received = [];
    const onMessage = fakeBrowser.runtime.onMessage as unknown as { addListener(cb: (message: AnyMessageInput) => Promise<unknown>): void };
    onMessage.addListener(async (message) => {
      received.push(message);
      if (message.type === 'portalPage') return { ok: true, data: { language: 'en', strings: portalStrings('en') } };
      if (message.type === 'portalDialogs') {
        // The background injects the dialog's script into the page's isolated world: here, this one.
        void portalDialogsScript.main();
        return { ok: true, data: { injected: true } };
      }
      if (message.type === 'status') return { ok: true, data: { state: 'connected', organizationName: HOSTILE[1], checkedAt: null, message: null, queue: { pending: 0, failed: 0 }, language: 'en' } };
      if (message.type === 'getMappingForLock') return { ok: true, data: { mapping: mapping(UNITS[3]!, HOSTILE[4]), stale: false, queued: null } };
      if (message.type === 'captureLocks') return { ok: true, data: { status: 'saved', created: 1, updated: 0, unchanged: 0 } };
      if (message.type === 'listUnits') return { ok: true, data: { items: UNITS, total: UNITS.length, truncated: false, stale: false } };
      return { ok: false, error: { kind: 'forbidden', message: HOSTILE[2], fieldErrors: [] } };
    });
  });
  afterEach(() => {
    for (const ctx of contexts.splice(0)) ctx.notifyInvalidated();
    document.body.innerHTML = '';
  });

  it('reads the hostile heading as text, sends it as text, and shows it as text', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`https://my.tapkey.com/owners/${OWNER}/locks/${LOCK_ID}`);
    // The page's own heading: its text looks like markup, and it holds a real element too.
    const main = document.createElement('main');
    const h1 = document.createElement('h1');
    h1.textContent = HOSTILE[1];
    main.append(h1);
    document.body.append(main);
    const ctx = new ContentScriptContext('tapkey', portalScript);
    contexts.push(ctx);
    await portalScript.main(ctx);

    const host = await waitFor(() => {
      const el = document.querySelector(UI_TAG);
      if (!shadowRootOf(el)) throw new Error('not mounted');
      return el!;
    });
    const ui = within(shadowRootOf(host) as unknown as HTMLElement);
    await waitFor(() => expect(received).toContainEqual(expect.objectContaining({ type: 'captureLocks', locks: [expect.objectContaining({ title: HOSTILE[1] })] })));
    await ui.findByText((t) => t.includes(HOSTILE[3]));
    fireEvent.click(ui.getByRole('button', { name: 'Map to Tapkey lock' }));
    const dialog = await ui.findByRole('dialog');
    await within(dialog).findAllByText(HOSTILE[0]);
    expect(dialog.getAttribute('aria-label') ?? dialog.textContent).toContain(HOSTILE[1]);
    expectInert(shadowRootOf(host)!, [HOSTILE[1], HOSTILE[3], ...HOSTILE.slice(0, 2)]);
    // The page itself gained nothing either (only our host element).
    expect(allElements(document.body).filter((el) => el.hasAttribute('data-pwned'))).toEqual([]);
  });
});

describe('no HTML sinks with data in the UI sources', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const files = (dir: string): string[] =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir)).flatMap((name) => {
          const rel = join(dir, name);
          return statSync(join(root, rel)).isDirectory() ? files(rel) : /\.(tsx?|jsx?|mjs|html)$/.test(name) ? [rel] : [];
        })
      : [];
  const sources = ['components', 'entrypoints', 'widget'].flatMap(files);

  /** A right-hand side that is a literal with no interpolation is not data. */
  const constant = (rhs: string) => /^\s*(?:'[^'\\]*'|"[^"\\]*"|`[^`$\\]*`)\s*[;,)]?\s*$/.test(rhs);

  /** Returns `file:line: code` for each sink fed something other than a constant. */
  function sinks(file: string, text: string): string[] {
    const found: string[] = [];
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      const where = `${file}:${i + 1}: ${line.trim()}`;
      for (const m of code.matchAll(/\.(innerHTML|outerHTML)\s*\+?=(?!=)(.*)$/g)) if (!constant(m[2]!)) found.push(where);
      for (const m of code.matchAll(/\.(insertAdjacentHTML|write|writeln)\s*\((.*)$/g)) {
        if (m[1] !== 'insertAdjacentHTML' && !/document\s*$/.test(code.slice(0, m.index))) continue;
        const arg = m[1] === 'insertAdjacentHTML' ? m[2]!.replace(/^[^,]*,/, '') : m[2]!;
        if (!constant(arg.replace(/\)\s*;?\s*$/, ''))) found.push(where);
      }
      if (/dangerouslySetInnerHTML|createContextualFragment|\bsrcdoc\b|\bnew Function\s*\(|(?<![\w.])eval\s*\(|setTimeout\s*\(\s*['"`]/.test(code)) found.push(where);
      if (/\bsetAttribute\s*\(\s*['"]on/i.test(code)) found.push(where);
    });
    return found;
  }

  it('scans the UI sources', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('none of components/, entrypoints/, widget/ writes data as HTML or code', () => {
    expect(sources.flatMap((f) => sinks(f, readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });

  it('the scan itself catches each sink (so an empty result means something)', () => {
    const samples = [
      'el.innerHTML = name;',
      'el.innerHTML += `<b>${name}</b>`;',
      "host.insertAdjacentHTML('beforeend', html);",
      'document.write(title);',
      '<div dangerouslySetInnerHTML={{ __html: x }} />',
      'frame.srcdoc = page;',
      "el.setAttribute('onclick', code);",
      'new Function(body)();',
      'eval(code);',
    ];
    for (const s of samples) expect(sinks('sample.ts', s), s).toHaveLength(1);
    expect(sinks('sample.ts', "el.innerHTML = '';\nel.textContent = name;\nconst x = a.innerHTML === b;")).toEqual([]);
    expect(relative(root, root)).toBe('');
  });
});
