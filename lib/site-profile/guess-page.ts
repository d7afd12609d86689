/**
 * Looking at one open tab of a manager for the profile guess (guess.ts): the kind of page its
 * address suggests, the labels on it whose value reads, links to the other kind of page and
 * how its dates are written. Runs in the tab; the result is plain data for the background.
 */
import { dateOrders, type DateOrder } from '../dates.ts';
import { contentArea, inChrome, PageReader } from './dom.ts';
import { guessAddress, groupOf, type PageKind } from './guess-address.ts';
import { bookingFieldNames, fieldLabels, parsers, unitFieldNames, type GuessField } from './guess-fields.ts';
import type { PageGuess } from './guess-page-schema.ts';
import type { Strategy } from './schema.ts';
import { pageAddress } from './url-match.ts';
import { collapse, parseEmail, type Parse } from './values.ts';

export type { PageGuess } from './guess-page-schema.ts';

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

  let kind: PageKind | null = address?.kind ?? null;
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
