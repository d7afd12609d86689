/**
 * What a view's chunk hands the element (widget/element.ts): it renders one view with Preact,
 * in one language, with a client for the page's API and token. Each view module
 * (widget/views/*.tsx) is one of these, loaded on the view's first use.
 */
import type { ComponentType } from 'preact';
import { render } from 'preact';
import { useMemo } from 'preact/hooks';
import { keycafeDialogCss } from '../components/keycafe/style.ts';
import { createTranslator } from '../components/translator.ts';
import { createUi, UiContext, useUi } from '../components/ui-context.ts';
import type { Language } from '../lib/i18n/catalog.ts';
import type { ValidAttributes } from './attributes.ts';
import { createWidgetRequest, type WidgetRequest } from './request.ts';

export type { WidgetAttributes } from './attributes.ts';

export interface WidgetView {
  /** Added to the element's shadow root beside its own styles. */
  css: string;
  render(mount: HTMLElement, attrs: ValidAttributes, lang: Language, strings: Record<string, string>): void;
  unmount(mount: HTMLElement): void;
}

type ViewComponent<C> = ComponentType<{ client: C; attrs: ValidAttributes }>;

/** The widget never sends extension messages; its views call the API themselves. */
const noMessages = () => Promise.reject(new Error('The AccessBridge widget does not use extension messages'));

function WidgetApp<C>({ attrs, clientOf, View }: { attrs: ValidAttributes; clientOf: (request: WidgetRequest) => C; View: ViewComponent<C> }) {
  const { t, lang } = useUi();
  const client = useMemo(() => clientOf(createWidgetRequest({ apiUrl: attrs.api, token: attrs.token, lang, t })), [attrs.api, attrs.token, lang]);
  return <View client={client} attrs={attrs} />;
}

/** A view: its client (the calls it makes, widget/request.ts) and its component. */
export function defineView<C>(clientOf: (request: WidgetRequest) => C, View: ViewComponent<C>): WidgetView {
  return {
    css: keycafeDialogCss,
    render(mount, attrs, lang, strings) {
      // `strings` is this language's table, English already filling its gaps.
      const translate = createTranslator([{ en: strings, de: strings, fr: strings }]);
      render(
        <UiContext.Provider value={createUi(lang, noMessages as never, translate)}>
          <WidgetApp attrs={attrs} clientOf={clientOf} View={View} />
        </UiContext.Provider>,
        mount,
      );
    },
    unmount: (mount) => render(null, mount),
  };
}
