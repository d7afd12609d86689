import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { OptionsPage } from '../../components/OptionsPage.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { matchLanguage, translate, type Language } from '../../lib/i18n/index.ts';
import { sendMessage } from '../../lib/messages/send.ts';

const ui = signal(createUi(matchLanguage(navigator.languages), sendMessage, translate));
const queueVersion = signal(0);

function setLanguage(lang: Language) {
  // <html lang> and the title are set for the first language too: screen readers read by it.
  document.documentElement.lang = lang;
  document.title = translate(lang, 'options.title');
  if (ui.value.lang !== lang) ui.value = createUi(lang, sendMessage, translate);
}

// Called from a click handler: the browser shows its prompt only for a user gesture.
const requestOrigin = (origin: string) => browser.permissions.request({ origins: [`${origin}/*`] });

// The queue changes from the background (replays, new offline changes): keep the view live.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'mutationQueue' in changes) queueVersion.value++;
});

function App() {
  return (
    <UiContext.Provider value={ui.value}>
      <OptionsPage requestOrigin={requestOrigin} queueVersion={queueVersion.value} onLanguage={setLanguage} />
    </UiContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
