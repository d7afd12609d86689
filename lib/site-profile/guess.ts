/**
 * A first profile for a manager nobody wrote one for ("Add another manager"). Each open tab of
 * the manager is looked at where it runs (`guessPage`: what kind of page its address suggests,
 * its ID segment, the labels on it whose value reads, links to the other kind of page, how its
 * dates are written); the background merges what the tabs saw into one profile
 * (`guessProfile`), which the admin checks in the options preview and confirms. Every label and
 * link the guess puts in the profile gave a usable value on the page it came from.
 */
import { fallbackPatterns, type PageKind } from './guess-address.ts';
import { commonStateWords, defaultLabels, type GuessField } from './guess-fields.ts';
import { guessPage, type PageGuess } from './guess-page.ts';
import { siteProfileSchema, type SiteProfile, type SiteProfileInput, type Strategy } from './schema.ts';

const hostName = (origin: string) => new URL(origin).hostname;

/**
 * Merges what the open tabs saw into one profile for `origin`. Pages no tab showed get the
 * generic address patterns and common labels; the preview then shows what still needs an edit.
 */
export function guessProfile(origin: string, pages: readonly PageGuess[]): SiteProfile {
  const of = (kind: PageKind) => pages.find((p) => p.kind === kind && p.urlPattern);
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
