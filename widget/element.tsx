/**
 * `<accessbridge-widget>`: AccessBridge on a page without the extension. Its shadow root holds
 * its own styles, so the page's CSS cannot reach in and ours cannot leak out. Attributes:
 *   api     the sync API's base URL
 *   token   a widget token minted for this page's origin (POST /v1/widget-tokens)
 *   view    "keycafe-booking" (optional `key`: key id or serial number)
 *           or "map-lock" (with `unit`: the manager's unit id)
 *   lang    en, de or fr (default: the page's language, then the browser's)
 */
import { render } from 'preact';
import { keycafeDialogCss } from '../components/keycafe/style.ts';
import { createTranslator } from '../components/translator.ts';
import { matchLanguage } from '../lib/i18n/catalog.ts';
import { createUi, UiContext } from '../components/ui-context.ts';
import common from '../lib/i18n/messages/common.ts';
import keycafeServer from '../lib/i18n/messages/keycafe-server.ts';
import keycafeUi from '../lib/i18n/messages/keycafe-ui.ts';
import mapping from '../lib/i18n/messages/mapping.ts';
import { widgetCss } from './style.ts';
import { WidgetApp } from './WidgetApp.tsx';

export const WIDGET_TAG = 'accessbridge-widget';
const ATTRIBUTES = ['view', 'api', 'token', 'key', 'unit', 'lang'] as const;

// Only what the widget says: the extension's and the API's other catalogs stay out of the file.
const translate = createTranslator([common, keycafeServer, keycafeUi, mapping]);

/** The widget never sends extension messages; its views call the API themselves. */
const noMessages = () => Promise.reject(new Error('The AccessBridge widget does not use extension messages'));

export class AccessBridgeWidget extends HTMLElement {
  static observedAttributes = [...ATTRIBUTES];
  readonly #mount: HTMLDivElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = widgetCss + keycafeDialogCss;
    this.#mount = document.createElement('div');
    this.#mount.className = 'ab-widget ab-keycafe-root';
    root.append(style, this.#mount);
  }

  connectedCallback() {
    this.#render();
  }

  disconnectedCallback() {
    render(null, this.#mount);
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#render();
  }

  #render() {
    const pageLang = this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || '';
    const lang = matchLanguage([pageLang, ...navigator.languages].filter(Boolean));
    const attrs = { view: this.getAttribute('view'), api: this.getAttribute('api'), token: this.getAttribute('token'), key: this.getAttribute('key'), unit: this.getAttribute('unit') };
    render(
      <UiContext.Provider value={createUi(lang, noMessages as never, translate)}>
        <WidgetApp attrs={attrs} />
      </UiContext.Provider>,
      this.#mount,
    );
  }
}

export function defineWidget() {
  if (!customElements.get(WIDGET_TAG)) customElements.define(WIDGET_TAG, AccessBridgeWidget);
}
