/**
 * Loads a view's code and one language's strings, on the view's first use. This is the source
 * form (tests, type checks); the widget build puts widget/load-chunks.ts in its place, which
 * imports the same modules as built chunks from the widget script's own origin.
 */
import type { Language } from '../lib/i18n/catalog.ts';
import type { ViewName } from './attributes.ts';
import type { WidgetView } from './WidgetApp.tsx';

export interface LoadedView {
  view: WidgetView;
  strings: Record<string, string>;
}

/** `apiUrl`: where the chunks are when the script's own URL is unknown (the API serves both). */
export type LoadView = (view: ViewName, lang: Language, apiUrl: string) => Promise<LoadedView>;

const views: Record<ViewName, () => Promise<{ default: WidgetView }>> = {
  'keycafe-booking': () => import('./views/keycafe-booking.tsx'),
  'map-lock': () => import('./views/map-lock.tsx'),
};

const strings: Record<Language, () => Promise<{ default: Record<string, string> }>> = {
  en: () => import('./strings/en.ts'),
  de: () => import('./strings/de.ts'),
  fr: () => import('./strings/fr.ts'),
};

export const loadView: LoadView = async (view, lang) => {
  const [v, s] = await Promise.all([views[view](), strings[lang]()]);
  return { view: v.default, strings: s.default };
};
