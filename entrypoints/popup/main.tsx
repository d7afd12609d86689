/**
 * The toolbar popup's page. First paint needs no network and little code: the connection
 * state, the recent lists and the last booking choice are read from storage (what the
 * background stored last time) and rendered at once. Then ./dialog.ts loads (messages to the
 * background, the booking dialog) and the background is asked for fresh state.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { keycafeDialogCss } from '../../components/keycafe/style.ts';
import { createTranslator } from '../../components/translator.ts';
import { matchLanguage } from '../../lib/i18n/catalog.ts';
import { createUi, UiContext, type Send } from '../../components/ui-context.ts';
import common from '../../lib/i18n/messages/common.ts';
import extension from '../../lib/i18n/messages/extension.ts';
import keycafeServer from '../../lib/i18n/messages/keycafe-server.ts';
import keycafeUi from '../../lib/i18n/messages/keycafe-ui.ts';
import adminLinks from '../../lib/i18n/messages/admin-links.ts';
import type { PopupRecent } from '../../lib/messages.ts';
import { connectionStatusItem, keycafeLastChoiceItem, popupRecentItem, preferencesItem } from '../../lib/storage.ts';
import { Popup, type PopupConnection, type PopupLastChoice } from './Popup.tsx';

// Only the catalogs the popup uses: the full index would add every feature's strings.
const translate = createTranslator([common, extension, keycafeServer, keycafeUi, adminLinks]);

let later: Promise<typeof import('./dialog.ts')> | null = null;
/** The part of the popup that is not needed to paint it (see ./dialog.ts). */
const loadLater = () => (later ??= import('./dialog.ts'));
const send: Send = async (message) => (await loadLater()).sendMessage(message);

const style = document.createElement('style');
style.textContent = keycafeDialogCss;
// Before the popup's own stylesheet, which adapts the dialog to the popup window.
document.head.prepend(style);

async function start() {
  const [status, cached, last, prefs] = await Promise.all([
    connectionStatusItem.getValue(),
    popupRecentItem.getValue(),
    keycafeLastChoiceItem.getValue(),
    preferencesItem.getValue(),
  ]);
  const lang = prefs.language ?? matchLanguage(navigator.languages);
  document.documentElement.lang = lang;
  const ui = signal(createUi(lang, send, translate));
  const connection = signal<PopupConnection>({ state: status.state, organizationName: status.organizationName, checkedAt: status.checkedAt, queue: null });
  const recent = signal<{ data: PopupRecent | null; fresh: boolean; error: string | null }>({ data: cached, fresh: false, error: null });
  const lastChoice = signal<PopupLastChoice | null>(last);

  async function refreshRecent() {
    const { bridgeErrorOf, describeError } = await loadLater();
    try {
      recent.value = { data: await send({ type: 'popupRecent' }), fresh: true, error: null };
    } catch (error) {
      // Not set up yet: the connection line already says so.
      if (bridgeErrorOf(error).kind === 'not_configured') recent.value = { ...recent.value, data: recent.value.data ?? { captures: [], bookings: [], fetchedAt: '' }, fresh: true };
      else recent.value = { ...recent.value, error: describeError(ui.value.t, error) };
    }
  }

  const App = () => (
    <UiContext.Provider value={ui.value}>
      <Popup
        connection={connection}
        recent={recent}
        lastChoice={lastChoice}
        loadDialog={async () => (await loadLater()).popupDialog(ui.value.t)}
        openOptions={() => {
          void browser.runtime.openOptionsPage();
          window.close();
        }}
        openAdmin={() => {
          void browser.tabs.create({ url: browser.runtime.getURL('/admin.html') });
          window.close();
        }}
        onBooked={(_booking, draft) => {
          const key = draft.keys[0] ?? (lastChoice.value ? { id: lastChoice.value.keyId, name: lastChoice.value.keyName } : null);
          const choice = key ? { keyId: key.id, keyName: key.name, locale: draft.locale } : null;
          lastChoice.value = choice;
          void keycafeLastChoiceItem.setValue(choice);
        }}
        onDialogClosed={() => void refreshRecent()}
      />
    </UiContext.Provider>
  );
  render(<App />, document.getElementById('app')!);
  performance.mark('accessbridge:popup-rendered');

  // Fresh state after the first paint; the answers re-render what changed.
  send({ type: 'status', refresh: true })
    .then((s) => {
      connection.value = { state: s.state, organizationName: s.organizationName, checkedAt: s.checkedAt, queue: s.queue };
      if (s.language !== ui.value.lang) {
        ui.value = createUi(s.language, send, translate);
        document.documentElement.lang = s.language;
      }
    })
    .catch(() => undefined);
  void refreshRecent();
}

void start();
