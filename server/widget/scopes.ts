/**
 * The routes a widget token opens, under /widget, and the actions each accepts. Anything not
 * listed is refused: the widget reuses the API's own handlers (same validation, same
 * organization scoping) but only this slice of them.
 */
import type { WidgetAction } from '../../lib/contract.ts';

interface Rule {
  methods: readonly string[];
  path: RegExp;
  /** Any one of these allows the call; empty: any valid token (the session route). */
  actions: readonly WidgetAction[];
}

const segment = '[^/]+';
const read = ['GET', 'HEAD'] as const;
const KEYCAFE_FORM: WidgetAction[] = ['keycafe:book', 'keycafe:read'];
const MAPPING_VIEW: WidgetAction[] = ['mapping:read', 'mapping:write'];

export const widgetRules: readonly Rule[] = [
  { methods: read, path: /^\/v1\/session$/, actions: [] },
  // The booking form needs keys and their SmartBoxes, and follows the booking it made.
  { methods: read, path: /^\/v1\/keycafe\/keys$/, actions: KEYCAFE_FORM },
  { methods: read, path: /^\/v1\/keycafe\/locations$/, actions: KEYCAFE_FORM },
  { methods: read, path: new RegExp(`^/v1/keycafe/bookings/${segment}$`), actions: KEYCAFE_FORM },
  // Listing shows other visitors' bookings: reading rights only.
  { methods: read, path: /^\/v1\/keycafe\/bookings$/, actions: ['keycafe:read'] },
  { methods: ['POST'], path: /^\/v1\/keycafe\/bookings$/, actions: ['keycafe:book'] },
  { methods: ['POST'], path: new RegExp(`^/v1/keycafe/bookings/${segment}/(cancel|retry)$`), actions: ['keycafe:book'] },
  { methods: read, path: new RegExp(`^/v1/units/${segment}$`), actions: MAPPING_VIEW },
  { methods: read, path: /^\/v1\/locks$/, actions: MAPPING_VIEW },
  { methods: read, path: /^\/v1\/mappings$/, actions: MAPPING_VIEW },
  { methods: ['PUT', 'DELETE'], path: new RegExp(`^/v1/units/${segment}/mapping$`), actions: ['mapping:write'] },
];

/** The rule for a call (path without the /widget prefix), or null for a route widgets cannot use. */
export function widgetRuleFor(method: string, path: string): Rule | null {
  return widgetRules.find((r) => r.methods.includes(method) && r.path.test(path)) ?? null;
}
