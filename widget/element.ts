/**
 * `<accessbridge-widget>`: AccessBridge on a page without the extension. Its shadow root holds
 * its own styles, so the page's CSS cannot reach in and ours cannot leak out. Attributes:
 *   api     the sync API's base URL
 *   token   a widget token minted for this page's origin (POST /v1/widget-tokens)
 *   view    "keycafe-booking" (optional `key`: key id or serial number)
 *           or "map-lock" (with `unit`: the manager's unit id)
 *   lang    en, de or fr (default: the page's language, then the browser's)
 *
 * The element alone is what a page loads up front: it checks its attributes and shows a first
 * state, and loads its view's code and its language's strings on first use (widget/load-view.ts;
 * in the built script, chunks from the script's own origin: widget/load-chunks.ts).
 */
import { createTranslator } from '../components/translator.ts';
import { matchLanguage, type Language } from '../lib/i18n/catalog.ts';
import type { MessageKey } from '../lib/i18n/index.ts';
import { ATTRIBUTES, attributeProblem, type ValidAttributes } from './attributes.ts';
import { loadView } from './load-view.ts';
import shellStrings from './shell-strings.ts';
import { widgetCss } from './style.ts';
import type { WidgetView } from './WidgetApp.tsx';

export const WIDGET_TAG = 'accessbridge-widget';

const translate = createTranslator([shellStrings]);

export class AccessBridgeWidget extends HTMLElement {
  static observedAttributes = [...ATTRIBUTES];
  readonly #root: ShadowRoot;
  readonly #mount: HTMLDivElement;
  #viewStyle: HTMLStyleElement | null = null;
  /** The view rendered into #mount, if any. */
  #view: WidgetView | null = null;
  /** Counts renders, so that a view loaded late never overwrites a later state. */
  #pass = 0;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = widgetCss;
    this.#mount = document.createElement('div');
    this.#mount.className = 'ab-widget ab-keycafe-root';
    this.#root.append(style, this.#mount);
  }

  connectedCallback() {
    this.#render();
  }

  disconnectedCallback() {
    this.#pass++;
    this.#unmountView();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#render();
  }

  #render() {
    const pass = ++this.#pass;
    const pageLang = this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || '';
    const lang: Language = matchLanguage([pageLang, ...navigator.languages].filter(Boolean));
    const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
    const attrs = { view: this.getAttribute('view'), api: this.getAttribute('api'), token: this.getAttribute('token'), key: this.getAttribute('key'), unit: this.getAttribute('unit') };
    const problem = attributeProblem(attrs);
    if (problem) {
      this.#unmountView();
      this.#say(t('kcui.widget.badAttributes', { problem: t(problem.key, problem.params) }), true);
      return;
    }
    const valid = attrs as ValidAttributes;
    // A view already shown stays until the new one (or its new language) is ready.
    if (!this.#view) this.#say(t('kcui.widget.loading'), false);
    loadView(valid.view, lang, valid.api).then(
      ({ view, strings }) => {
        if (pass !== this.#pass) return;
        if (view !== this.#view) {
          this.#unmountView();
          this.#mount.replaceChildren();
          this.#style(view.css);
          this.#view = view;
        }
        view.render(this.#mount, valid, lang, strings);
      },
      // The chunks come from the API's origin: failing to load them is failing to reach it.
      () => {
        if (pass !== this.#pass) return;
        this.#unmountView();
        this.#say(t('kcui.widget.unreachable'), true);
      },
    );
  }

  /** The element's own line (a hint, or an alert): only while no view is rendered. */
  #say(text: string, alert: boolean) {
    const p = document.createElement('p');
    p.className = alert ? 'ab-alert' : 'ab-hint';
    if (alert) p.setAttribute('role', 'alert');
    p.textContent = text;
    this.#mount.replaceChildren(p);
  }

  #style(css: string) {
    if (!this.#viewStyle) {
      this.#viewStyle = document.createElement('style');
      this.#mount.before(this.#viewStyle);
    }
    this.#viewStyle.textContent = css;
  }

  #unmountView() {
    this.#view?.unmount(this.#mount);
    this.#view = null;
  }
}

export function defineWidget() {
  if (!customElements.get(WIDGET_TAG)) customElements.define(WIDGET_TAG, AccessBridgeWidget);
}
