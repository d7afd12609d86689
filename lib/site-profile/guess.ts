/**
 * A first profile for a manager nobody wrote one for ("Add another manager"). Each open tab of
 * the manager is looked at where it runs (`guessPage`: what kind of page its address suggests,
 * its ID segment, the labels on it whose value reads, links to the other kind of page, how its
 * dates are written); the background merges what the tabs saw into one profile
 * (`guessProfile`), which the admin checks in the options preview and confirms. Every label and
 * link the guess puts in the profile gave a usable value on the page it came from.
 */
import { z } from 'zod';
import { dateOrders, type DateOrder } from '../dates.ts';
import { contentArea, inChrome, PageReader } from './dom.ts';
import { siteProfileSchema, strategySchema, type SiteProfile, type SiteProfileInput, type Strategy } from './schema.ts';
import { pageAddress } from './url-match.ts';
import { collapse, parseDate, parseEmail, parsePhone, parseState, textOf, type Parse } from './values.ts';

type Kind = 'unit' | 'booking';

// Address words for each kind of page (a whole path segment, or the end of one: `storage-units`).
const kindWords: Record<Kind, string> = {
  unit: 'units?|einheit(?:en)?|lagereinheit(?:en)?|spaces?|storages?|boxe?s?|lockers?|abteile?',
  booking: 'bookings?|buchung(?:en)?|contracts?|vertr(?:ag|aege|äge)|mietvertr(?:ag|aege|äge)|reservations?|rentals?|leases?|tenanc(?:y|ies)',
};
const wordOf = (kind: Kind) => new RegExp(`^(?:[a-z0-9]+[-_])?(?:${kindWords[kind]})$`, 'i');
const fileWordOf = (kind: Kind) => new RegExp(`(?:${kindWords[kind]})`, 'i');
/** Looks like a record's ID: has a digit (or is a UUID-ish run), not a word like `new` or `list`. */
const idLike = /^(?=[^/]*\d)[\w.~-]{1,80}$/;

const groupOf: Record<Kind, string> = { unit: 'unitId', booking: 'bookingId' };
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The generic patterns used for a kind of page no open tab showed. */
export const fallbackPatterns: Record<Kind, string> = {
  unit: `/(?:units?|einheit(?:en)?|spaces?)/(?<unitId>[^/?#]+)(?:[/?#]|$)`,
  booking: `/(?:bookings?|buchung(?:en)?|contracts?|reservations?|rentals?)/(?<bookingId>[^/?#]+)(?:[/?#]|$)`,
};

interface AddressGuess {
  kind: Kind;
  id: string;
  /** The page's URL pattern with the ID as the kind's named group. */
  pattern: string;
  /** How a link's href gives this kind's ID (a selector plus a cleanup regex). */
  link: { selector: string; regex: string };
}

/**
 * What an address says: the last `<kind word>/<id>` pair of its path or hash route (`/units/7`,
 * `#/einheiten/7`, `/units/7/bookings/12` is a booking), or a page named after a kind with an
 * `id`-like query parameter (`/unit.php?id=7`).
 */
export function guessAddress(url: URL): AddressGuess | null {
  const route = url.hash.startsWith('#/') || url.hash.startsWith('#!/') ? url.hash.replace(/^#!?/, '') : url.pathname;
  const segments = route.split(/[?#]/)[0]!.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    const id = decodeSegment(segments[i]!);
    const word = segments[i - 1]!;
    if (!idLike.test(id)) continue;
    const kind = (['booking', 'unit'] as const).find((k) => wordOf(k).test(word));
    if (!kind) continue;
    const needsDigit = /\d/.test(id) ? '(?=[^/?#]*\\d)' : '';
    const w = escapeRe(word);
    return {
      kind,
      id,
      pattern: `/${w}/(?<${groupOf[kind]}>${needsDigit}[^/?#]+)(?:[/?#]|$)`,
      link: { selector: `a[href*="/${word}/"]`, regex: `/${w}/(?<value>[^/?#]+)` },
    };
  }
  const file = url.pathname.split('/').pop() ?? '';
  for (const [key, value] of url.searchParams) {
    if (!/^(?:[a-z]+[-_]?)?id$/i.test(key) || !idLike.test(value)) continue;
    const kind = (['booking', 'unit'] as const).find((k) => fileWordOf(k).test(key) || fileWordOf(k).test(file));
    // A plain file name only: it goes into a CSS selector and a pattern as it is.
    if (!kind || !/^[\w.~-]+$/.test(file)) continue;
    const k = escapeRe(key);
    return {
      kind,
      id: value,
      pattern: `/${escapeRe(file)}\\?(?:[^#]*&)?${k}=(?<${groupOf[kind]}>[^&#]+)`,
      link: { selector: `a[href*="${file}?"]`, regex: `[?&]${k}=(?<value>[^&#]+)` },
    };
  }
  return null;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type GuessField = 'name' | 'location' | 'unitId' | 'tenantName' | 'tenantEmail' | 'tenantPhone' | 'moveIn' | 'moveOut' | 'state';

/**
 * Labels each field is commonly shown with, most specific first (English, German, French),
 * lower case without a trailing colon. A booking page's "Name" is the tenant's only after
 * "Tenant" and "Customer" were not found.
 */
export const fieldLabels: Record<GuessField, readonly string[]> = {
  name: ['unit name', 'unit', 'unit number', 'unit no.', 'name', 'einheit', 'einheitenname', 'bezeichnung', 'nummer', 'unité', 'nom'],
  location: ['location', 'site', 'facility', 'standort', 'filiale', 'lagerstandort', 'site de stockage', 'emplacement'],
  unitId: ['unit id', 'unit-id', 'einheiten-id', 'einheit-id', 'id de l’unité'],
  tenantName: ['tenant', 'tenant name', 'customer', 'customer name', 'renter', 'mieter', 'mieterin', 'kunde', 'kundin', 'locataire', 'client', 'name'],
  tenantEmail: ['email', 'e-mail', 'email address', 'e-mail address', 'e-mail-adresse', 'mail', 'courriel'],
  tenantPhone: ['phone', 'telephone', 'phone number', 'mobile', 'telefon', 'telefonnummer', 'handy', 'mobil', 'téléphone'],
  moveIn: ['move-in', 'move in', 'move-in date', 'start', 'start date', 'einzug', 'einzugsdatum', 'mietbeginn', 'vertragsbeginn', 'beginn', 'emménagement', 'début'],
  moveOut: ['move-out', 'move out', 'move-out date', 'end', 'end date', 'auszug', 'auszugsdatum', 'mietende', 'vertragsende', 'ende', 'déménagement', 'fin'],
  state: ['status', 'state', 'booking status', 'buchungsstatus', 'statut'],
};

/** State words managers commonly print, for the guessed profile's state labels. */
export const commonStateWords: Record<string, 'reserved' | 'active' | 'ended' | 'cancelled'> = {
  Active: 'active',
  Aktiv: 'active',
  Actif: 'active',
  Reserved: 'reserved',
  Reserviert: 'reserved',
  Réservé: 'reserved',
  'Moved out': 'ended',
  Ended: 'ended',
  Ausgezogen: 'ended',
  Beendet: 'ended',
  Terminé: 'ended',
  Cancelled: 'cancelled',
  Canceled: 'cancelled',
  Storniert: 'cancelled',
  Annulé: 'cancelled',
};

const unitFieldNames = ['name', 'location'] as const;
const bookingFieldNames = ['tenantName', 'tenantEmail', 'tenantPhone', 'moveIn', 'moveOut', 'state'] as const;

const parsers: Record<GuessField, Parse<unknown>> = {
  name: textOf(200),
  location: textOf(200),
  unitId: (t) => (/^[\w.~-]{1,80}$/.test(t) ? { ok: true, value: t } : { ok: false, code: 'too_long', params: {} }),
  tenantName: textOf(200),
  tenantEmail: parseEmail,
  tenantPhone: parsePhone,
  moveIn: parseDate('DMY'),
  moveOut: parseDate('DMY'),
  state: parseState(commonStateWords),
};

/** What one open tab says about the manager: plain data, sent from the tab to the background. */
export const pageGuessSchema = z.object({
  kind: z.enum(['unit', 'booking']).nullable(),
  urlPattern: z.string().max(300).nullable(),
  /** How a link to this page gives its ID (for a booking's link to its unit). */
  link: z.object({ selector: z.string().max(300), regex: z.string().max(300) }).nullable(),
  /** URL patterns of the other kind of page, from this page's links. */
  linked: z.object({ unit: z.string().max(300).nullable(), booking: z.string().max(300).nullable() }),
  /** Per field, the ways to read it that gave a usable value here. */
  fields: z.record(z.string().max(20), z.array(strategySchema).max(6)),
  /** How numeric dates on the page are written, when a date shows it (13/01 or 01/13). */
  dateOrder: z.enum(dateOrders).nullable(),
  /** The page's language (`<html lang>`), for the order of labels on pages no tab showed. */
  language: z.string().max(35).nullable(),
});
export type PageGuess = z.infer<typeof pageGuessSchema>;

/** Visible label texts in the content area (normalised → as shown). */
function labelTexts(root: ParentNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const el of Array.from(root.querySelectorAll('dt, th, label, td, span, div, strong, b, p, h3, h4, h5, h6, [role="rowheader"]'))) {
    if (el.childElementCount > 3) continue;
    const shown = collapse(el.textContent ?? '').replace(/[:：]\s*$/, '');
    if (!shown || shown.length > 40 || inChrome(el, root)) continue;
    const key = shown.toLowerCase();
    if (!out.has(key)) out.set(key, shown);
  }
  return out;
}

/** Whether `s` gives a usable value for `field` on this page. */
function usable(reader: PageReader, s: Strategy, parse: Parse<unknown>): boolean {
  const found = reader.read(s);
  return found.ok && found.candidates.some((c) => c.ok && parse(c.text).ok);
}

function dateOrderOn(root: ParentNode): DateOrder | null {
  const area = contentArea(root) ?? (root as Document).body ?? null;
  const text = area?.textContent ?? '';
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?!\d)/g)) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a > 12 && b <= 12) return 'DMY';
    if (b > 12 && a <= 12) return 'MDY';
  }
  return null;
}

/** Looks at one open tab of the manager. */
export function guessPage(root: ParentNode, url: string): PageGuess {
  const parsed = new URL(url);
  const address = guessAddress(parsed);
  const reader = new PageReader(root, address ? { [groupOf[address.kind]]: address.id } : {}, 'content');
  const labels = labelTexts(root);

  const fieldsFor = (names: readonly GuessField[]) => {
    const fields: Record<string, Strategy[]> = {};
    for (const name of names) {
      const found: Strategy[] = [];
      if (name === 'tenantEmail' && usable(reader, { from: 'selector', selector: 'a[href^="mailto:"]', attribute: 'href' }, parseEmail))
        found.push({ from: 'selector', selector: 'a[href^="mailto:"]', attribute: 'href' });
      for (const key of fieldLabels[name]) {
        const shown = labels.get(key);
        if (!shown || found.length >= 3) continue;
        const s: Strategy = { from: 'label', label: shown };
        if (usable(reader, s, parsers[name])) found.push(s);
      }
      if (found.length) fields[name] = found;
    }
    return fields;
  };

  // Links to pages of either kind, content first: the other kind's pattern, and a booking's unit.
  const linked: PageGuess['linked'] = { unit: null, booking: null };
  let unitLink: Strategy | null = null;
  const links = Array.from(root.querySelectorAll('a[href]')).filter((a) => !inChrome(a, root));
  for (const a of links) {
    let target: URL;
    try {
      target = new URL(a.getAttribute('href')!, parsed);
    } catch {
      continue;
    }
    if (target.origin !== parsed.origin) continue;
    const g = guessAddress(target);
    if (!g || (address && pageAddress(target) === pageAddress(parsed))) continue;
    linked[g.kind] ??= g.pattern;
    if (g.kind === 'unit' && !unitLink) {
      const s: Strategy = { from: 'selector', selector: g.link.selector, attribute: 'href', regex: g.link.regex };
      if (usable(reader, s, parsers.unitId)) unitLink = s;
    }
  }

  let kind: Kind | null = address?.kind ?? null;
  const fields: Record<string, Strategy[]> = {};
  if (kind) fields.id = [{ from: 'url', group: groupOf[kind] }];
  const bookingFields = fieldsFor(bookingFieldNames);
  // Without a telling address, a page showing a move-in date is a booking.
  if (!kind && bookingFields.moveIn) kind = 'booking';
  if (kind === 'booking') {
    Object.assign(fields, bookingFields);
    const byLabel = fieldsFor(['unitId']).unitId ?? [];
    const unitId = [...(unitLink ? [unitLink] : []), ...byLabel];
    if (unitId.length) fields.unitId = unitId;
  } else if (kind === 'unit') Object.assign(fields, fieldsFor(unitFieldNames));

  const lang = (root as Document).documentElement?.getAttribute('lang') ?? null;
  return { kind, urlPattern: address?.pattern ?? null, link: address?.link ?? null, linked, fields, dateOrder: dateOrderOn(root), language: lang ? lang.slice(0, 35) : null };
}

const german = (lang: string | null) => Boolean(lang && /^de\b/i.test(lang));

/** Label strategies for a field no tab showed: the common labels, in the pages' language first. */
function defaultLabels(field: GuessField, lang: string | null): Strategy[] {
  const picks: Record<GuessField, { en: string[]; de: string[] }> = {
    name: { en: ['Name', 'Unit name', 'Unit', 'Unit number'], de: ['Name', 'Einheit', 'Bezeichnung'] },
    location: { en: ['Location', 'Site'], de: ['Standort', 'Filiale'] },
    unitId: { en: ['Unit ID'], de: ['Einheiten-ID'] },
    tenantName: { en: ['Tenant', 'Customer', 'Renter'], de: ['Mieter', 'Kunde'] },
    tenantEmail: { en: ['Email', 'E-mail', 'Email address', 'E-mail address'], de: ['E-Mail', 'E-Mail-Adresse'] },
    tenantPhone: { en: ['Phone', 'Phone number', 'Mobile'], de: ['Telefon', 'Handy'] },
    moveIn: { en: ['Move-in', 'Move-in date', 'Start date'], de: ['Einzug', 'Mietbeginn'] },
    moveOut: { en: ['Move-out', 'Move-out date', 'End date'], de: ['Auszug', 'Mietende'] },
    state: { en: ['Status'], de: ['Status'] },
  };
  const { en, de } = picks[field];
  const ordered = german(lang) ? [...de, ...en] : [...en, ...de];
  return [...new Set(ordered)].slice(0, 6).map((label) => ({ from: 'label', label }));
}

const hostName = (origin: string) => new URL(origin).hostname;

/**
 * Merges what the open tabs saw into one profile for `origin`. Pages no tab showed get the
 * generic address patterns and common labels; the preview then shows what still needs an edit.
 */
export function guessProfile(origin: string, pages: readonly PageGuess[]): SiteProfile {
  const of = (kind: Kind) => pages.find((p) => p.kind === kind && p.urlPattern);
  const unit = of('unit');
  const booking = of('booking');
  const lang = pages.find((p) => p.language)?.language ?? null;
  const dateOrder = pages.find((p) => p.dateOrder)?.dateOrder ?? (lang && /^en-US$/i.test(lang) ? 'MDY' : 'DMY');
  const field = (page: PageGuess | undefined, name: GuessField, required: boolean): Strategy[] | undefined => {
    const seen = page?.fields[name];
    if (seen?.length) return seen;
    // Seen on the page, not there: leave the optional field out rather than guess labels.
    if (page && !required) return undefined;
    return defaultLabels(name, lang);
  };
  const unitPattern = unit?.urlPattern ?? pages.map((p) => p.linked.unit).find(Boolean) ?? fallbackPatterns.unit;
  const bookingPattern = booking?.urlPattern ?? pages.map((p) => p.linked.booking).find(Boolean) ?? fallbackPatterns.booking;
  // No booking tab showed its unit link: links like the unit tab's own address, else /unit(s)/<id>.
  const unitLinkFallback: Strategy = unit?.link
    ? { from: 'selector', selector: unit.link.selector, attribute: 'href', regex: unit.link.regex }
    : { from: 'selector', selector: 'a[href*="/unit"]', attribute: 'href', regex: '/units?/(?<value>[^/?#]+)' };
  const host = hostName(origin);
  const state = booking?.fields.state;
  const anchor = { selectors: ['main h1', '[role="main"] h1', 'h1'], position: 'after' as const };
  const input: SiteProfileInput = {
    id: host.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'manager',
    name: host,
    origin,
    dateOrder,
    scope: 'content',
    unitPage: {
      urlPattern: unitPattern,
      fields: {
        id: [{ from: 'url', group: 'unitId' }],
        name: field(unit, 'name', true)!,
        ...(field(unit, 'location', false) ? { location: field(unit, 'location', false)! } : {}),
      },
      anchor,
    },
    bookingPage: {
      urlPattern: bookingPattern,
      fields: {
        id: [{ from: 'url', group: 'bookingId' }],
        unitId: booking?.fields.unitId?.length ? booking.fields.unitId : [unitLinkFallback, ...defaultLabels('unitId', lang)],
        ...Object.fromEntries(
          (['tenantName', 'tenantEmail', 'tenantPhone', 'moveOut'] as const).flatMap((n) => {
            const s = field(booking, n, false);
            return s ? [[n, s]] : [];
          }),
        ),
        moveIn: field(booking, 'moveIn', true)!,
        ...(state?.length ? { state } : {}),
      },
      stateLabels: state?.length ? commonStateWords : {},
      anchor,
    },
  };
  return siteProfileSchema.parse(input);
}

/** The guess from one page alone (tests, and a manager with one tab open). */
export function guessProfileFromPage(root: ParentNode, url: string): SiteProfile {
  return guessProfile(new URL(url).origin, [guessPage(root, url)]);
}
