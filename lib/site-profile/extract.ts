/**
 * A profile's reading of a page: each field's strategies in order, each strategy's candidates
 * in order, the first usable value wins; what failed is kept as problems (required fields) or
 * notes (optional fields simply not on the page). Pure apart from the page's own `document`,
 * and without zod: it runs in every manager page; what it yields is validated on receipt with
 * ./reading-schemas.ts.
 */
import { PageReader, queryOne } from './dom.ts';
import { isAbsent, MAX_TRIED, type Problem, type Tried } from './problems.ts';
import type { BookingPageData, UnitPageData } from './reading-schemas.ts';
import type { Anchor, SiteProfile, Strategy } from './schema.ts';
import { matchPage, matchPattern, pageAddress } from './url-match.ts';
import { parseDate, parseEmail, parsePhone, parseState, textOf, type Parse } from './values.ts';

export type Extraction<T> = { ok: true; value: T; notes: Problem[] } | { ok: false; problems: Problem[] };
export type { BookingPageData, UnitPageData } from './reading-schemas.ts';

interface FieldRead<T> {
  value: T | null;
  /** Set when no strategy gave a value. */
  problems: Problem[];
  /** True when every failure only means "not on this page". */
  absent: boolean;
}

function readField<T>(field: string, strategies: Strategy[], page: PageReader, parse: Parse<T>): FieldRead<T> {
  const problems: Problem[] = [];
  for (const [i, s] of strategies.entries()) {
    const found = page.read(s);
    if (!found.ok) {
      problems.push({ field, code: found.code, strategy: i, params: found.params });
      continue;
    }
    const failures: Tried[] = [];
    for (const candidate of found.candidates) {
      const parsed = candidate.ok ? parse(candidate.text) : candidate;
      if (parsed.ok) return { value: parsed.value, problems: [], absent: false };
      failures.push({ code: parsed.code, params: parsed.params });
    }
    // The same reason for many candidates (five cells without the attribute) is named once.
    const reasons = failures.filter((f, j) => failures.findIndex((g) => g.code === f.code && JSON.stringify(g.params) === JSON.stringify(f.params)) === j);
    // One candidate: its own failure says it all. Several: name how many and why each failed.
    if (failures.length === 1) problems.push({ field, ...failures[0]!, strategy: i });
    else problems.push({ field, code: found.noneUsable, strategy: i, params: { ...found.params, count: String(failures.length) }, tried: reasons.slice(0, MAX_TRIED) });
  }
  return { value: null, problems, absent: problems.every(isAbsent) };
}

/** Reads fields, collecting problems; optional fields that are simply absent become null + notes. */
class Reader {
  readonly problems: Problem[] = [];
  readonly notes: Problem[] = [];
  constructor(private readonly page: PageReader) {}

  required<T>(field: string, strategies: Strategy[], parse: Parse<T>): T | null {
    const r = readField(field, strategies, this.page, parse);
    this.problems.push(...r.problems);
    return r.value;
  }

  optional<T>(field: string, strategies: Strategy[] | undefined, parse: Parse<T>): T | null {
    if (!strategies) return null;
    const r = readField(field, strategies, this.page, parse);
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
  const r = new Reader(new PageReader(root, g.groups, profile.scope));
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
  const r = new Reader(new PageReader(root, g.groups, profile.scope));
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
    const found = queryOne(root, selector);
    if ('el' in found && found.el) return { ok: true, element: found.el, position: anchor.position };
  }
  return { ok: false, problem: { field: 'anchor', code: 'anchor_missing', params: { selectors: anchor.selectors.map((s) => `\`${s}\``).join(', ') } } };
}

/** Everything a manager page yields for one profile: what it is, its data, whether the anchor exists. */
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
