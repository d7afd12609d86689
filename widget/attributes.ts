/**
 * What the element's attributes ask for, and what is wrong with them: checked by the element
 * itself (widget/element.ts) before any view's code is loaded, so a misconfigured embed says so
 * at once without a request.
 */
import type { MessageKey } from '../lib/i18n/index.ts';

export const VIEWS = ['keycafe-booking', 'map-lock'] as const;
export type ViewName = (typeof VIEWS)[number];

export const ATTRIBUTES = ['view', 'api', 'token', 'key', 'unit', 'lang'] as const;

export interface WidgetAttributes {
  view: string | null;
  api: string | null;
  token: string | null;
  key: string | null;
  unit: string | null;
}

/** Attributes a view can be shown for. */
export type ValidAttributes = WidgetAttributes & { view: ViewName; api: string; token: string };

export type Problem = { key: MessageKey; params: Record<string, string> };

/** The first thing wrong with the attributes (as a message), or null when a view can be shown. */
export function attributeProblem(attrs: WidgetAttributes): Problem | null {
  const missing = (name: string): Problem => ({ key: 'kcui.widget.missingAttribute', params: { name } });
  if (!attrs.api) return missing('api');
  if (!attrs.token) return missing('token');
  if (!(VIEWS as readonly (string | null)[]).includes(attrs.view)) return attrs.view ? { key: 'kcui.widget.unknownView', params: { view: attrs.view } } : missing('view');
  if (attrs.view === 'map-lock' && !attrs.unit) return missing('unit');
  return null;
}
