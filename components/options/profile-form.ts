/**
 * The site-profile editor's form model: plain strings the inputs edit, converted to and from
 * a profile for `siteProfileSchema`. The schema's issues come back keyed by the profile's
 * paths (`unitPage.fields.name.0.selector`), which the form uses as its field keys, so every
 * message lands beside its input, whether it came from the editor or from the background.
 */
import { anchorPositions, siteProfileSchema, type PageScope, type SiteProfile, type SiteProfileInput, type Strategy } from '../../lib/site-profile/index.ts';
import type { DateOrder } from '../../lib/dates.ts';
import type { FieldError } from '../../lib/contract.ts';

export type StrategyKind = Strategy['from'];
export const strategyKinds: readonly StrategyKind[] = ['url', 'selector', 'label'];

/** One way to read a field; every kind's inputs are kept so switching kinds loses nothing. */
export interface StrategyForm {
  from: StrategyKind;
  group: string;
  selector: string;
  attribute: string;
  label: string;
  within: string;
  regex: string;
}

export type Position = (typeof anchorPositions)[number];
export type BookingState = 'reserved' | 'active' | 'ended' | 'cancelled';
export const bookingStates: readonly BookingState[] = ['reserved', 'active', 'ended', 'cancelled'];

export const unitFields = ['id', 'name', 'location'] as const;
export const bookingFields = ['id', 'unitId', 'tenantName', 'tenantEmail', 'tenantPhone', 'moveIn', 'moveOut', 'state'] as const;
export type UnitField = (typeof unitFields)[number];
export type BookingField = (typeof bookingFields)[number];
/** Fields a page may leave out ([] = not read). */
export const optionalFields: ReadonlySet<string> = new Set(['location', 'tenantName', 'tenantEmail', 'tenantPhone', 'moveOut', 'state']);

export interface PageForm<F extends string> {
  urlPattern: string;
  fields: Record<F, StrategyForm[]>;
  /** The anchor's selectors as typed, one per line. */
  anchorText: string;
  position: Position;
}

export interface ProfileForm {
  id: string;
  name: string;
  origin: string;
  dateOrder: DateOrder;
  /** Kept as the profile has it (none: a profile from before scopes, which reads the whole page). */
  scope: PageScope | undefined;
  unit: PageForm<UnitField>;
  hasBookings: boolean;
  booking: PageForm<BookingField> & { stateLabels: { word: string; state: BookingState }[] };
  /** The booking list mode (lib/site-profile-list.ts), kept as it is: the form does not edit it. */
  list?: SiteProfile['list'];
}

export const emptyStrategy = (from: StrategyKind = 'selector'): StrategyForm => ({ from, group: '', selector: '', attribute: '', label: '', within: '', regex: '' });

function strategyForm(s: Strategy): StrategyForm {
  const base = emptyStrategy(s.from);
  if (s.from === 'url') return { ...base, group: s.group };
  if (s.from === 'selector') return { ...base, selector: s.selector, attribute: s.attribute ?? '', regex: s.regex ?? '' };
  return { ...base, label: s.label, within: s.within ?? '', regex: s.regex ?? '' };
}

const opt = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});

function strategyInput(s: StrategyForm): Strategy {
  if (s.from === 'url') return { from: 'url', group: s.group.trim() };
  // Regexes keep their spaces: they may be meaningful.
  const regex = s.regex ? { regex: s.regex } : {};
  if (s.from === 'selector') return { from: 'selector', selector: s.selector, ...opt('attribute', s.attribute), ...regex };
  return { from: 'label', label: s.label, ...opt('within', s.within), ...regex };
}

function fieldsForm<F extends string>(names: readonly F[], fields: Partial<Record<F, Strategy[]>>): Record<F, StrategyForm[]> {
  return Object.fromEntries(names.map((n) => [n, (fields[n] ?? []).map(strategyForm)])) as Record<F, StrategyForm[]>;
}

function fieldsInput<F extends string>(fields: Record<F, StrategyForm[]>): Record<string, Strategy[]> {
  const out: Record<string, Strategy[]> = {};
  for (const [name, list] of Object.entries(fields) as [F, StrategyForm[]][]) {
    // An optional field without strategies is not read; a required one is sent empty so the
    // schema says "give at least one way to read this field" beside it.
    if (list.length || !optionalFields.has(name)) out[name] = list.map(strategyInput);
  }
  return out;
}

const anchorLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function formFromProfile(p: SiteProfile): ProfileForm {
  const b = p.bookingPage;
  return {
    id: p.id,
    name: p.name,
    origin: p.origin,
    dateOrder: p.dateOrder,
    scope: p.scope,
    unit: {
      urlPattern: p.unitPage.urlPattern,
      fields: fieldsForm(unitFields, p.unitPage.fields),
      anchorText: p.unitPage.anchor.selectors.join('\n'),
      position: p.unitPage.anchor.position,
    },
    hasBookings: Boolean(b),
    booking: {
      urlPattern: b?.urlPattern ?? '',
      fields: fieldsForm(bookingFields, b?.fields ?? {}),
      anchorText: b?.anchor.selectors.join('\n') ?? '',
      position: b?.anchor.position ?? 'after',
      stateLabels: Object.entries(b?.stateLabels ?? {}).map(([word, state]) => ({ word, state })),
    },
    ...(p.list ? { list: p.list } : {}),
  };
}

/** A new profile: one way to read each required field, so the form shows what is needed. */
export function blankForm(origin = ''): ProfileForm {
  const unit = { id: [emptyStrategy('url')], name: [emptyStrategy('selector')], location: [] };
  const booking = { id: [emptyStrategy('url')], unitId: [emptyStrategy('selector')], tenantName: [], tenantEmail: [], tenantPhone: [], moveIn: [emptyStrategy('label')], moveOut: [], state: [] };
  return {
    id: '',
    name: '',
    origin,
    dateOrder: 'DMY',
    scope: 'content',
    unit: { urlPattern: '', fields: unit, anchorText: 'main h1', position: 'after' },
    hasBookings: false,
    booking: { urlPattern: '', fields: booking, anchorText: 'main h1', position: 'after', stateLabels: [] },
  };
}

export function profileInput(f: ProfileForm): SiteProfileInput {
  const stateLabels = Object.fromEntries(f.booking.stateLabels.filter((s) => s.word.trim()).map((s) => [s.word.trim(), s.state]));
  return {
    id: f.id.trim(),
    name: f.name,
    origin: f.origin,
    dateOrder: f.dateOrder,
    ...(f.scope ? { scope: f.scope } : {}),
    unitPage: {
      urlPattern: f.unit.urlPattern,
      fields: fieldsInput(f.unit.fields) as SiteProfileInput['unitPage']['fields'],
      anchor: { selectors: anchorLines(f.unit.anchorText), position: f.unit.position },
    },
    ...(f.hasBookings
      ? {
          bookingPage: {
            urlPattern: f.booking.urlPattern,
            fields: fieldsInput(f.booking.fields) as NonNullable<SiteProfileInput['bookingPage']>['fields'],
            stateLabels,
            anchor: { selectors: anchorLines(f.booking.anchorText), position: f.booking.position },
          },
        }
      : {}),
    ...(f.list ? { list: f.list } : {}),
  };
}

/** "Demo Storage Manager" → "demo-storage-manager": a starting id for a new profile. */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export type FormErrors = Record<string, string>;

/** Field errors keyed by path; the first message per path wins. */
export function errorsFrom(list: FieldError[]): FormErrors {
  const errors: FormErrors = {};
  for (const e of list) errors[e.path] ??= e.message;
  return errors;
}

export function validateForm(f: ProfileForm): { ok: true; profile: SiteProfile } | { ok: false; errors: FormErrors } {
  const parsed = siteProfileSchema.safeParse(profileInput(f));
  if (parsed.success) return { ok: true, profile: parsed.data };
  return { ok: false, errors: errorsFrom(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))) };
}

/** Errors under `prefix` (e.g. every anchor selector line), for inputs that hold several values. */
export function errorsUnder(errors: FormErrors, prefix: string): string[] {
  return Object.entries(errors)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .map(([, message]) => message);
}
