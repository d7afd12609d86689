/**
 * Site profiles: how AccessBridge reads a manager's pages. The manager's URLs and markup are
 * not published (DESIGN.md, "The manager side"), so a profile says which addresses are unit and
 * booking pages, where each value sits on them (tried in order, first usable value wins), and
 * where the controls go. Pure: runs in content scripts, the options page and the background
 * (no DOM library; extraction takes the page's own `document`).
 */
import { z } from 'zod';
import { bookingStateSchema, emailSchema } from './contract.ts';
import { dateOrders, normalizeDate, type DateOrder } from './dates.ts';
import { translate, type Language, type MessageKey } from './i18n/index.ts';
import { demoManagerList, kinnovisManagerList } from './site-profile-list-templates.ts';

// ---------- schema ----------

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A regular expression written as a string (JavaScript syntax, no slashes or flags). */
const regexSource = z
  .string()
  .min(1, 'Required')
  .max(300, 'At most 300 characters')
  .refine(compiles, { error: (issue) => `\`${String(issue.input)}\` is not a valid regular expression` });

/** The names of a pattern's named groups, all of them, whether or not they take part in a match. */
export function namedGroups(source: string): string[] {
  // An empty alternative always matches, and `groups` then lists every named group (unset).
  const m = new RegExp(`(?:${source})|`).exec('');
  return Object.keys(m?.groups ?? {});
}

// CSS syntax is checked where a DOM exists (extraction reports `selector_invalid`); here only
// what no selector can contain, so the same profile validates the same way everywhere.
const cssSelector = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(300, 'At most 300 characters')
  .refine((s) => !/[{}]/.test(s), 'A CSS selector cannot contain { or }');

const groupName = z.string().regex(/^[A-Za-z_$][\w$]*$/, 'A group name is letters, digits and _ (e.g. unitId)');

/** Cleans up a value: the named group `value`, else the first group, else the whole match. */
const cleanupRegex = regexSource.optional();

export const strategySchema = z.discriminatedUnion('from', [
  /** A named group of the page's URL pattern. */
  z.object({ from: z.literal('url'), group: groupName }),
  /** An element's text, or one of its attributes (`value` reads a form field's current value). */
  z.object({
    from: z.literal('selector'),
    selector: cssSelector,
    attribute: z.string().trim().regex(/^[A-Za-z_:][\w:.-]*$/, 'Not an attribute name').optional(),
    regex: cleanupRegex,
  }),
  /**
   * The value beside a visible label (`<dt>Email</dt><dd>…</dd>`, `<th>`/`<td>`, `<label for>`,
   * or the label's next sibling): survives class-name changes in the manager's markup.
   */
  z.object({
    from: z.literal('label'),
    label: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
    within: cssSelector.optional(),
    regex: cleanupRegex,
  }),
]);
export type Strategy = z.infer<typeof strategySchema>;

/** A field's strategies, tried in order until one gives a usable value. */
const fieldSchema = z.array(strategySchema).min(1, 'Give at least one way to read this field').max(6, 'At most 6 fallbacks');

export const anchorPositions = ['before', 'after', 'prepend', 'append'] as const;

export const anchorSchema = z.object({
  /** Tried in order; the first that matches hosts the controls. */
  selectors: z.array(cssSelector).min(1, 'Give at least one selector').max(5, 'At most 5 selectors'),
  position: z.enum(anchorPositions).default('after'),
});
export type Anchor = z.infer<typeof anchorSchema>;

const urlPatternField = regexSource.describe(
  'Regular expression tested against the path, query and hash of the page (e.g. `^/units/(?<unitId>[^/?#]+)`)',
);

/** Every `url` strategy must name a group its page pattern has. */
function checkUrlGroups(pattern: string, fields: Record<string, Strategy[] | undefined>, ctx: z.RefinementCtx) {
  if (!compiles(pattern)) return; // already reported on urlPattern
  const groups = namedGroups(pattern);
  for (const [field, strategies] of Object.entries(fields)) {
    strategies?.forEach((s, i) => {
      if (s.from === 'url' && !groups.includes(s.group))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', field, i, 'group'],
          message: groups.length
            ? `The URL pattern has no group named "${s.group}" (it has: ${groups.join(', ')})`
            : `The URL pattern has no named groups; add one like (?<${s.group}>[^/?#]+)`,
        });
    });
  }
}

export const unitPageSchema = z
  .object({
    urlPattern: urlPatternField,
    fields: z.object({ id: fieldSchema, name: fieldSchema, location: fieldSchema.optional() }),
    anchor: anchorSchema,
  })
  .superRefine((p, ctx) => checkUrlGroups(p.urlPattern, p.fields, ctx));

export const bookingPageSchema = z
  .object({
    urlPattern: urlPatternField,
    fields: z.object({
      id: fieldSchema,
      unitId: fieldSchema,
      tenantName: fieldSchema.optional(),
      tenantEmail: fieldSchema.optional(),
      tenantPhone: fieldSchema.optional(),
      moveIn: fieldSchema,
      moveOut: fieldSchema.optional(),
      state: fieldSchema.optional(),
    }),
    /** The page's state words → AccessBridge booking states (matched ignoring case). */
    stateLabels: z.record(z.string().trim().min(1).max(60), bookingStateSchema).default({}),
    anchor: anchorSchema,
  })
  .superRefine((p, ctx) => checkUrlGroups(p.urlPattern, p.fields, ctx));

/**
 * A booking list page ("Capture all bookings on this page"): each element matching `rows` is
 * one booking, its fields read inside the row (a row has no URL of its own, so no `url`
 * strategies). Reading: lib/site-profile-list.ts.
 */
export const bookingListSchema = z
  .object({
    urlPattern: urlPatternField,
    rows: cssSelector,
    fields: bookingPageSchema.shape.fields,
    stateLabels: z.record(z.string().trim().min(1).max(60), bookingStateSchema).default({}),
    anchor: anchorSchema,
  })
  .superRefine((p, ctx) => {
    for (const [field, strategies] of Object.entries(p.fields))
      strategies?.forEach((s, i) => {
        if (s.from === 'url') ctx.addIssue({ code: 'custom', path: ['fields', field, i, 'from'], message: 'A list row has no address of its own: read it with a selector or a label' });
      });
  });

/** `https://manager.example.com` or `http://127.0.0.1:4100`: scheme, host and port, nothing else. */
export const originSchema = z
  .string()
  .trim()
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a web address (e.g. https://manager.example.com)' });
      return z.NEVER;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'Must start with https:// or http://' });
      return z.NEVER;
    }
    if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username || u.password) {
      ctx.addIssue({ code: 'custom', message: `Only the origin, without a path: ${u.origin}` });
      return z.NEVER;
    }
    return u.origin;
  });

export const siteProfileSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Lower-case letters, digits and dashes'),
  name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  origin: originSchema,
  /** How to read numeric dates whose day and month could be swapped (01/02/2026). */
  dateOrder: z.enum(dateOrders).default('DMY'),
  unitPage: unitPageSchema,
  bookingPage: bookingPageSchema.optional(),
  list: bookingListSchema.optional(),
});
export type SiteProfile = z.output<typeof siteProfileSchema>;
export type SiteProfileInput = z.input<typeof siteProfileSchema>;

/** The profiles kept in extension storage: ids and origins unique, so a page has one profile. */
export const siteProfilesSchema = z.array(siteProfileSchema).superRefine((list, ctx) => {
  const seen = { id: new Map<string, number>(), origin: new Map<string, number>() };
  list.forEach((p, i) => {
    for (const key of ['id', 'origin'] as const) {
      const first = seen[key].get(p[key]);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: [i, key], message: `Profile ${first + 1} already uses ${key === 'id' ? 'the id' : 'the origin'} ${p[key]}` });
      else seen[key].set(p[key], i);
    }
  });
});

/**
 * The match pattern for `optional_host_permissions`, `permissions.request` and
 * `scripting.registerContentScripts`. No port: Firefox rejects ports in match patterns and
 * Chrome treats a missing port as any port, so the content script checks the exact origin.
 */
export function originMatchPattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}

// ---------- page matching ----------

export type PageKind = 'unit' | 'booking';

export interface PageMatch {
  profile: SiteProfile;
  kind: PageKind;
  /** The URL pattern's named groups on this page (unset ones left out). */
  groups: Record<string, string>;
}

/** What a URL pattern is tested against: everything after the origin. */
export function pageAddress(url: URL): string {
  return url.pathname + url.search + url.hash;
}

function matchPattern(pattern: string, address: string): Record<string, string> | null {
  const m = new RegExp(pattern).exec(address);
  if (!m) return null;
  const groups: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) groups[k] = safeDecode(v);
  return groups;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Which profile and kind of page `url` is, or null. Booking patterns are tried before unit
 * patterns because managers often nest bookings under units (`/units/7/bookings/12`).
 */
export function matchPage(url: string, profiles: readonly SiteProfile[]): PageMatch | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const address = pageAddress(parsed);
  for (const profile of profiles) {
    if (parsed.origin !== profile.origin) continue;
    const pages: [PageKind, string | undefined][] = [
      ['booking', profile.bookingPage?.urlPattern],
      ['unit', profile.unitPage.urlPattern],
    ];
    for (const [kind, pattern] of pages) {
      if (!pattern) continue;
      const groups = matchPattern(pattern, address);
      if (groups) return { profile, kind, groups };
    }
  }
  return null;
}

// ---------- extraction ----------

export const problemCodes = [
  'url_not_matched',
  'no_booking_pages',
  'url_group_empty',
  'selector_invalid',
  'selector_no_match',
  'attribute_missing',
  'empty',
  'label_no_match',
  'label_no_value',
  'regex_no_match',
  'too_long',
  'not_email',
  'not_phone',
  'not_date',
  'impossible_date',
  'unknown_state',
  'move_out_before_move_in',
  'anchor_missing',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

/**
 * Why a value could not be read. `field` is e.g. `unit.name`; `strategy` the fallback's index.
 * Plain data, so a content script can send it to the options page's preview (validate with
 * these schemas on receipt) and either side renders it with `describeProblem`.
 */
export const problemSchema = z.object({
  field: z.string().max(40),
  code: z.enum(problemCodes),
  strategy: z.number().int().min(0).optional(),
  params: z.record(z.string(), z.string().max(1000)),
});
export type Problem = z.infer<typeof problemSchema>;

/** Problems that mean "not on this page" (an optional field is then simply absent). */
const absentCodes: ReadonlySet<ProblemCode> = new Set(['url_group_empty', 'selector_no_match', 'attribute_missing', 'empty', 'label_no_match', 'label_no_value']);

export const extractionSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    /** `notes`: optional fields not found, for the options preview. */
    z.object({ ok: z.literal(true), value, notes: z.array(problemSchema) }),
    z.object({ ok: z.literal(false), problems: z.array(problemSchema).min(1) }),
  ]);
export type Extraction<T> = { ok: true; value: T; notes: Problem[] } | { ok: false; problems: Problem[] };

const text200 = z.string().min(1).max(200);

export const unitPageDataSchema = z.object({ externalId: text200, name: text200, location: text200.nullable() });
export type UnitPageData = z.infer<typeof unitPageDataSchema>;

/** Named like `bookingInput` so the content script can send it as it is. */
export const bookingPageDataSchema = z.object({
  externalId: text200,
  unitExternalId: text200,
  tenantName: text200.nullable(),
  tenantEmail: emailSchema.nullable(),
  tenantPhone: z.string().max(40).nullable(),
  moveIn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  moveOut: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  state: bookingStateSchema.nullable(),
});
export type BookingPageData = z.infer<typeof bookingPageDataSchema>;

type Raw = { ok: true; text: string } | { ok: false; code: ProblemCode; params: Record<string, string> };

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const normLabel = (s: string) => collapse(s).replace(/[:：]\s*$/, '').toLowerCase();
/** Managers print a dash or "n/a" where a value is missing; that is an absent value, not a bad one. */
const placeholder = /^(?:[-–—_.\s]*|n\/?a|none|keine?|aucune?|—)$/i;

function query(root: ParentNode, selector: string): { el: Element | null } | { invalid: true } {
  try {
    return { el: root.querySelector(selector) };
  } catch {
    return { invalid: true };
  }
}

function valueOf(el: Element): string {
  const v = (el as Partial<HTMLInputElement>).value;
  if (typeof v === 'string' && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) return v;
  return el.textContent ?? '';
}

/** The element holding the value that belongs to `labelEl`. */
function valueBesideLabel(labelEl: Element): Element | null {
  const tag = labelEl.tagName;
  if (tag === 'LABEL') {
    const target = labelEl.getAttribute('for');
    // The label's own tree: a document, or a fragment the options preview parsed.
    const tree = labelEl.getRootNode();
    if (target) return 'getElementById' in tree ? (tree as DocumentFragment).getElementById(target) : null;
    const control = labelEl.querySelector('input, select, textarea');
    if (control) return control;
  }
  let next = labelEl.nextElementSibling;
  if (tag === 'DT') while (next && next.tagName !== 'DD') next = next.nextElementSibling;
  return next;
}

const labelCandidates = 'dt, th, label, td, span, div, strong, b, p, h3, h4, h5, h6, [role="rowheader"]';

function byLabel(root: ParentNode, label: string, within?: string): Raw {
  let scope: ParentNode = root;
  if (within) {
    const found = query(root, within);
    if ('invalid' in found) return { ok: false, code: 'selector_invalid', params: { selector: within } };
    if (!found.el) return { ok: false, code: 'selector_no_match', params: { selector: within } };
    scope = found.el;
  }
  const wanted = normLabel(label);
  for (const el of Array.from(scope.querySelectorAll(labelCandidates))) {
    // Containers are never the label; skipping them spares reading whole subtrees' text.
    if (el.childElementCount > 3 || normLabel(el.textContent ?? '') !== wanted) continue;
    const valueEl = valueBesideLabel(el);
    const text = valueEl ? collapse(valueOf(valueEl)) : '';
    if (!text || placeholder.test(text)) return { ok: false, code: 'label_no_value', params: { label } };
    return { ok: true, text };
  }
  return { ok: false, code: 'label_no_match', params: { label } };
}

function bySelector(root: ParentNode, selector: string, attribute?: string): Raw {
  const found = query(root, selector);
  if ('invalid' in found) return { ok: false, code: 'selector_invalid', params: { selector } };
  if (!found.el) return { ok: false, code: 'selector_no_match', params: { selector } };
  let text: string;
  if (attribute === 'value') text = valueOf(found.el);
  else if (attribute) {
    const attr = found.el.getAttribute(attribute);
    if (attr === null) return { ok: false, code: 'attribute_missing', params: { selector, attribute } };
    text = attr;
  } else text = found.el.textContent ?? '';
  text = collapse(text);
  if (!text || placeholder.test(text)) return { ok: false, code: 'empty', params: { selector } };
  return { ok: true, text };
}

function cleanUp(raw: Raw, regex: string | undefined): Raw {
  if (!raw.ok || !regex) return raw;
  const m = new RegExp(regex).exec(raw.text);
  if (!m) return { ok: false, code: 'regex_no_match', params: { regex, text: clip(raw.text) } };
  const text = collapse(m.groups?.value ?? m[1] ?? m[0]);
  return text ? { ok: true, text } : { ok: false, code: 'regex_no_match', params: { regex, text: clip(raw.text) } };
}

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

function readStrategy(s: Strategy, root: ParentNode, groups: Record<string, string>): Raw {
  switch (s.from) {
    case 'url': {
      const v = groups[s.group]?.trim();
      return v ? { ok: true, text: v } : { ok: false, code: 'url_group_empty', params: { group: s.group } };
    }
    case 'selector':
      return cleanUp(bySelector(root, s.selector, s.attribute), s.regex);
    case 'label':
      return cleanUp(byLabel(root, s.label, s.within), s.regex);
  }
}

/** Turns a found text into the field's value, or explains why it is not one. */
type Parsed<T> = { ok: true; value: T } | { ok: false; code: ProblemCode; params: Record<string, string> };
type Parse<T> = (text: string) => Parsed<T>;

const textOf =
  (max: number): Parse<string> =>
  (text) =>
    text.length <= max ? { ok: true, value: text } : { ok: false, code: 'too_long', params: { text: clip(text), max: String(max) } };

const parseEmail: Parse<string> = (text) => {
  const parsed = emailSchema.safeParse(text.replace(/^mailto:/i, '').split('?')[0]);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, code: 'not_email', params: { text: clip(text) } };
};

const parsePhone: Parse<string> = (text) => {
  const value = text.replace(/^tel:/i, '').trim();
  const digits = value.replace(/\D/g, '').length;
  return /^\+?[\d\s()./-]+$/.test(value) && digits >= 4 && digits <= 15 && value.length <= 40
    ? { ok: true, value }
    : { ok: false, code: 'not_phone', params: { text: clip(text) } };
};

const parseDate =
  (order: DateOrder): Parse<string> =>
  (text): Parsed<string> => {
    const r = normalizeDate(text, order);
    if (r.ok) return { ok: true, value: r.value };
    if (r.reason === 'impossible') return { ok: false, code: 'impossible_date', params: { text: clip(text) } };
    return { ok: false, code: 'not_date', params: { text: clip(text), order } };
  };

const parseState =
  (labels: Record<string, z.infer<typeof bookingStateSchema>>): Parse<z.infer<typeof bookingStateSchema>> =>
  (text) => {
    const key = text.toLowerCase();
    for (const [label, state] of Object.entries(labels)) if (label.toLowerCase() === key) return { ok: true, value: state };
    const direct = bookingStateSchema.safeParse(key);
    return direct.success ? { ok: true, value: direct.data } : { ok: false, code: 'unknown_state', params: { text: clip(text) } };
  };

interface FieldRead<T> {
  value: T | null;
  /** Set when no strategy gave a value. */
  problems: Problem[];
  /** True when every failure only means "not on this page". */
  absent: boolean;
}

function readField<T>(field: string, strategies: Strategy[], root: ParentNode, groups: Record<string, string>, parse: Parse<T>): FieldRead<T> {
  const problems: Problem[] = [];
  for (const [i, s] of strategies.entries()) {
    const raw = readStrategy(s, root, groups);
    const parsed = raw.ok ? parse(raw.text) : raw;
    if (parsed.ok) return { value: parsed.value, problems: [], absent: false };
    problems.push({ field, code: parsed.code, strategy: i, params: parsed.params });
  }
  return { value: null, problems, absent: problems.every((p) => absentCodes.has(p.code)) };
}

/** Reads fields, collecting problems; optional fields that are simply absent become null + notes. */
class Reader {
  readonly problems: Problem[] = [];
  readonly notes: Problem[] = [];
  constructor(
    private readonly root: ParentNode,
    private readonly groups: Record<string, string>,
  ) {}

  required<T>(field: string, strategies: Strategy[], parse: Parse<T>): T | null {
    const r = readField(field, strategies, this.root, this.groups, parse);
    this.problems.push(...r.problems);
    return r.value;
  }

  optional<T>(field: string, strategies: Strategy[] | undefined, parse: Parse<T>): T | null {
    if (!strategies) return null;
    const r = readField(field, strategies, this.root, this.groups, parse);
    (r.absent ? this.notes : this.problems).push(...r.problems);
    return r.value;
  }
}

function pageGroups(url: string, pattern: string, field: string): { groups: Record<string, string> } | { problem: Problem } {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    /* reported below */
  }
  const groups = parsed ? matchPattern(pattern, pageAddress(parsed)) : null;
  return groups ? { groups } : { problem: { field, code: 'url_not_matched', params: { pattern } } };
}

/** Reads the unit shown on a unit page. */
export function extractUnit(root: ParentNode, url: string, profile: SiteProfile): Extraction<UnitPageData> {
  const page = profile.unitPage;
  const g = pageGroups(url, page.urlPattern, 'unit');
  if ('problem' in g) return { ok: false, problems: [g.problem] };
  const r = new Reader(root, g.groups);
  const externalId = r.required('unit.id', page.fields.id, textOf(200));
  const name = r.required('unit.name', page.fields.name, textOf(200));
  const location = r.optional('unit.location', page.fields.location, textOf(200));
  if (r.problems.length || externalId === null || name === null) return { ok: false, problems: r.problems };
  return { ok: true, value: { externalId, name, location }, notes: r.notes };
}

/** Reads the booking shown on a booking page. */
export function extractBooking(root: ParentNode, url: string, profile: SiteProfile): Extraction<BookingPageData> {
  const page = profile.bookingPage;
  if (!page) return { ok: false, problems: [{ field: 'booking', code: 'no_booking_pages', params: {} }] };
  const g = pageGroups(url, page.urlPattern, 'booking');
  if ('problem' in g) return { ok: false, problems: [g.problem] };
  const r = new Reader(root, g.groups);
  const f = page.fields;
  const date = parseDate(profile.dateOrder);
  const value = {
    externalId: r.required('booking.id', f.id, textOf(200)),
    unitExternalId: r.required('booking.unitId', f.unitId, textOf(200)),
    tenantName: r.optional('booking.tenantName', f.tenantName, textOf(200)),
    tenantEmail: r.optional('booking.tenantEmail', f.tenantEmail, parseEmail),
    tenantPhone: r.optional('booking.tenantPhone', f.tenantPhone, parsePhone),
    moveIn: r.required('booking.moveIn', f.moveIn, date),
    moveOut: r.optional('booking.moveOut', f.moveOut, date),
    state: r.optional('booking.state', f.state, parseState(page.stateLabels)),
  };
  if (value.moveIn && value.moveOut && value.moveOut < value.moveIn)
    r.problems.push({ field: 'booking.moveOut', code: 'move_out_before_move_in', params: { moveIn: value.moveIn, moveOut: value.moveOut } });
  const { externalId, unitExternalId, moveIn } = value;
  if (r.problems.length || externalId === null || unitExternalId === null || moveIn === null) return { ok: false, problems: r.problems };
  return { ok: true, value: { ...value, externalId, unitExternalId, moveIn }, notes: r.notes };
}

/** Where the controls go on this page; a problem (and a floating panel) when no selector matches. */
export function findAnchor(root: ParentNode, anchor: Anchor): { ok: true; element: Element; position: Anchor['position'] } | { ok: false; problem: Problem } {
  for (const selector of anchor.selectors) {
    const found = query(root, selector);
    if ('el' in found && found.el) return { ok: true, element: found.el, position: anchor.position };
  }
  return { ok: false, problem: { field: 'anchor', code: 'anchor_missing', params: { selectors: anchor.selectors.map((s) => `\`${s}\``).join(', ') } } };
}

/** Everything a manager page yields for one profile: what it is, its data, whether the anchor exists. */
export const pageReadingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), profileId: z.string(), result: extractionSchema(unitPageDataSchema), anchor: problemSchema.nullable() }),
  z.object({ kind: z.literal('booking'), profileId: z.string(), result: extractionSchema(bookingPageDataSchema), anchor: problemSchema.nullable() }),
]);
export type PageReading =
  | { kind: 'unit'; profileId: string; result: Extraction<UnitPageData>; anchor: Problem | null }
  | { kind: 'booking'; profileId: string; result: Extraction<BookingPageData>; anchor: Problem | null };

/**
 * Reads the page at `url` with whichever profile claims it, or null when none does: the content
 * script's one call per navigation, and the answer to the options page's "test on this tab"
 * (plain data; the content script mounts its controls with `findAnchor` itself).
 */
export function readPage(root: ParentNode, url: string, profiles: readonly SiteProfile[]): PageReading | null {
  const match = matchPage(url, profiles);
  if (!match) return null;
  const { profile } = match;
  if (match.kind === 'unit') {
    const anchor = findAnchor(root, profile.unitPage.anchor);
    return { kind: 'unit', profileId: profile.id, result: extractUnit(root, url, profile), anchor: anchor.ok ? null : anchor.problem };
  }
  const anchor = findAnchor(root, profile.bookingPage!.anchor);
  return { kind: 'booking', profileId: profile.id, result: extractBooking(root, url, profile), anchor: anchor.ok ? null : anchor.problem };
}

/** One sentence for a problem, in the user's language, e.g. "Unit name: selector `.x` matched nothing on this page". */
export function describeProblem(problem: Problem, lang: Language = 'en'): string {
  const field = translate(lang, `manager.field.${problem.field}` as MessageKey);
  const text = translate(lang, `manager.problem.${problem.code}` as MessageKey, problem.params);
  return translate(lang, 'manager.problem', { field, problem: text });
}

// ---------- built-in profiles ----------

/**
 * The sandbox's demo manager (sandbox/manager). Its origin follows wherever the sandbox runs.
 * Every field has a fallback so the options preview can show one failing and the next winning.
 */
export const DEMO_MANAGER_PROFILE_ID = 'demo-manager';

export function demoManagerProfile(origin: string): SiteProfile {
  return siteProfileSchema.parse({
    id: DEMO_MANAGER_PROFILE_ID,
    name: 'Demo manager (sandbox)',
    origin,
    dateOrder: 'DMY',
    unitPage: {
      urlPattern: '^/units/(?<unitId>[^/?#]+)/?(?:[?#].*)?$',
      fields: {
        id: [{ from: 'url', group: 'unitId' }, { from: 'label', label: 'Unit ID', within: '#general-card' }],
        name: [{ from: 'selector', selector: '#general-card .unit-name' }, { from: 'label', label: 'Unit name' }],
        location: [{ from: 'label', label: 'Location', within: '#general-card' }],
      },
      anchor: { selectors: ['#general-card', 'main h1'], position: 'after' },
    },
    bookingPage: {
      urlPattern: '^/bookings/(?<bookingId>[^/?#]+)/?(?:[?#].*)?$',
      fields: {
        id: [{ from: 'url', group: 'bookingId' }],
        unitId: [
          { from: 'selector', selector: '#booking-card a.booking-unit', attribute: 'href', regex: '/units/(?<value>[^/?#]+)' },
          { from: 'label', label: 'Unit ID' },
        ],
        tenantName: [{ from: 'selector', selector: '#booking-card .tenant-name' }],
        tenantEmail: [{ from: 'selector', selector: '#booking-card a.tenant-email', attribute: 'href' }, { from: 'label', label: 'Email' }],
        tenantPhone: [{ from: 'label', label: 'Phone', within: '#booking-card' }],
        moveIn: [{ from: 'label', label: 'Move-in', within: '#booking-card' }],
        moveOut: [{ from: 'label', label: 'Move-out', within: '#booking-card' }],
        state: [{ from: 'selector', selector: '#booking-card .booking-state' }],
      },
      stateLabels: { Active: 'active', Reserved: 'reserved', 'Moved out': 'ended', Cancelled: 'cancelled' },
      anchor: { selectors: ['#booking-card', 'main h1'], position: 'after' },
    },
    list: demoManagerList,
  });
}

/**
 * A starting point for Kinnovis Manager. Its page addresses are not published, so the URL
 * patterns are assumptions the admin checks with "test on this tab"; values are read by the
 * labels its help pages show (the unit's "General" card, the booking's tenant, email, move-in
 * and move-out), which survive markup changes better than class names.
 */
export function kinnovisManagerTemplate(origin: string): SiteProfile {
  return siteProfileSchema.parse({
    id: 'kinnovis-manager',
    name: 'Kinnovis Manager',
    origin,
    dateOrder: 'DMY',
    unitPage: {
      urlPattern: '/units?/(?<unitId>[A-Za-z0-9_-]+)(?:[/?#]|$)',
      fields: {
        id: [{ from: 'url', group: 'unitId' }],
        name: [{ from: 'label', label: 'Name' }, { from: 'label', label: 'Unit name' }, { from: 'label', label: 'Einheit' }, { from: 'selector', selector: 'h1' }],
        location: [{ from: 'label', label: 'Location' }, { from: 'label', label: 'Standort' }],
      },
      anchor: { selectors: ['main h1', 'h1'], position: 'after' },
    },
    bookingPage: {
      urlPattern: '/bookings?/(?<bookingId>[A-Za-z0-9_-]+)(?:[/?#]|$)',
      fields: {
        id: [{ from: 'url', group: 'bookingId' }],
        unitId: [{ from: 'selector', selector: 'a[href*="/unit"]', attribute: 'href', regex: '/units?/(?<value>[A-Za-z0-9_-]+)' }],
        tenantName: [{ from: 'label', label: 'Tenant' }, { from: 'label', label: 'Customer' }, { from: 'label', label: 'Mieter' }],
        tenantEmail: [{ from: 'selector', selector: 'a[href^="mailto:"]', attribute: 'href' }, { from: 'label', label: 'Email' }, { from: 'label', label: 'E-Mail' }],
        tenantPhone: [{ from: 'selector', selector: 'a[href^="tel:"]', attribute: 'href' }, { from: 'label', label: 'Phone' }, { from: 'label', label: 'Telefon' }],
        moveIn: [{ from: 'label', label: 'Move-in' }, { from: 'label', label: 'Move-in date' }, { from: 'label', label: 'Einzug' }],
        moveOut: [{ from: 'label', label: 'Move-out' }, { from: 'label', label: 'Move-out date' }, { from: 'label', label: 'Auszug' }],
      },
      anchor: { selectors: ['main h1', 'h1'], position: 'after' },
    },
    list: kinnovisManagerList,
  });
}
