import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { AdminPage } from '../../components/admin/AdminPage.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { matchLanguage, translate, type Language } from '../../lib/i18n/index.ts';
import { sendMessage } from '../../lib/messages/send.ts';

const ui = signal(createUi(matchLanguage(navigator.languages), sendMessage, translate));
const LAST_LOCATION = 'accessbridge.admin.location';

function setLanguage(lang: Language) {
  // <html lang> and the title follow the language: screen readers read by them.
  document.documentElement.lang = lang;
  document.title = translate(lang, 'admin.title');
  if (ui.value.lang !== lang) ui.value = createUi(lang, sendMessage, translate);
}

setLanguage(ui.value.lang);
// The language chosen in the options wins over the browser's.
void sendMessage({ type: 'getSettings' })
  .then((s) => setLanguage(s.effectiveLanguage))
  .catch(() => undefined);

function App() {
  return (
    <UiContext.Provider value={ui.value}>
      <AdminPage
        openOptions={() => void browser.runtime.openOptionsPage()}
        // Which location was open is not a secret: the page keeps it in its own session storage.
        initialLocationId={sessionStorage.getItem(LAST_LOCATION)}
        onLocationChange={(id) => (id ? sessionStorage.setItem(LAST_LOCATION, id) : sessionStorage.removeItem(LAST_LOCATION))}
      />
    </UiContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
