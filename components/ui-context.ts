/**
 * What every component needs from its host (content script, options page, tests): the
 * current language's `t` and `send`, the typed channel to the background. Passed through a
 * context so components stay free of `browser` and can be rendered with a fake in tests.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language, MessageKey } from '../lib/i18n/index.ts';
import type { Send } from '../lib/messages.ts';
import type { TranslateFn } from './translator.ts';

export type { Send };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface Ui {
  lang: Language;
  t: Translate;
  send: Send;
}

/** `translate` is passed in so each host loads only the catalogs it needs. */
export function createUi(lang: Language, send: Send, translate: TranslateFn): Ui {
  return { lang, send, t: (key, params) => translate(lang, key, params) };
}

const refuse: Send = () => Promise.reject(new Error('No UI context'));
export const UiContext = createContext<Ui>(createUi('en', refuse, (_lang, key) => key));

export const useUi = () => useContext(UiContext);
