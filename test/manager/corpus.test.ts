// @vitest-environment node
/**
 * Every built-in profile and the guess against every manager layout of the corpus
 * (test/fixtures/managers/corpus.ts): each reads exactly the expected values where the corpus
 * says it does (after the named edits where it says so), and otherwise says it cannot read the
 * page, never reading a wrong value. Plus what makes that possible on real layouts: every
 * match a candidate, and the page's chrome left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layouts, type Layout, type Outcome } from '../fixtures/managers/corpus.ts';
import {
  demoManagerProfile,
  describeProblem,
  guessPage,
  guessProfile,
  guessProfileFromPage,
  kinnovisManagerTemplate,
  readPage,
  siteProfileSchema,
  type PageReading,
  type SiteProfile,
  type SiteProfileInput,
} from '../../lib/site-profile/index.ts';
import { CORPUS_ORIGIN, openLayoutPage, type OpenPage } from './corpus-pages.ts';

type Kind = 'unit' | 'booking';
const pages = new Map<string, Record<Kind, OpenPage>>();

beforeAll(async () => {
  for (const layout of layouts) pages.set(layout.name, { unit: await openLayoutPage(layout, 'unit'), booking: await openLayoutPage(layout, 'booking') });
});
afterAll(async () => {
  for (const p of pages.values()) await Promise.all([p.unit.close(), p.booking.close()]);
});

const open = (layout: Layout, kind: Kind) => pages.get(layout.name)![kind];

/** The guess from both open tabs of the layout, as the options page makes it. */
function guessed(layout: Layout): SiteProfile {
  const u = open(layout, 'unit');
  const b = open(layout, 'booking');
  return guessProfile(CORPUS_ORIGIN, [guessPage(u.document, u.url), guessPage(b.document, b.url)]);
}

const profiles: Record<keyof Layout['expect'], (layout: Layout) => SiteProfile> = {
  kinnovis: () => kinnovisManagerTemplate(CORPUS_ORIGIN),
  demo: () => demoManagerProfile(CORPUS_ORIGIN),
  guess: guessed,
};

function withEdits(profile: SiteProfile, outcome: Outcome): SiteProfile {
  if (!('edits' in outcome)) return profile;
  const input = structuredClone(profile) as SiteProfileInput;
  return siteProfileSchema.parse(typeof outcome.edits === 'function' ? outcome.edits(input) : { ...input, ...outcome.edits });
}

/** The expected values, with those the profile has no field for left out (null). */
function expectedFor(layout: Layout, kind: Kind, profile: SiteProfile): Record<string, unknown> {
  if (kind === 'unit') {
    const e = layout.unit.expected;
    return { ...e, location: profile.unitPage.fields.location ? e.location : null };
  }
  const e = { ...layout.booking.expected } as Record<string, unknown>;
  const fields = profile.bookingPage!.fields as Record<string, unknown>;
  for (const f of ['tenantName', 'tenantEmail', 'tenantPhone', 'moveOut', 'state']) if (!fields[f]) e[f] = null;
  return e;
}

const explain = (r: PageReading | null) => (!r ? 'no profile pattern matched' : r.result.ok ? JSON.stringify(r.result.value) : r.result.problems.map((p) => describeProblem(p)).join('\n'));

describe.each(layouts.map((l) => [l.name, l] as const))('layout %s', (_name, layout) => {
  for (const which of ['kinnovis', 'demo', 'guess'] as const) {
    for (const kind of ['unit', 'booking'] as const) {
      const outcome = layout.expect[which][kind];
      const how = 'reads' in outcome ? 'reads' : 'edits' in outcome ? `reads after edits (${outcome.why})` : `refuses (${outcome.refuses})`;
      it(`${which} ${how}: ${kind} page`, () => {
        const page = open(layout, kind);
        const profile = withEdits(profiles[which](layout), outcome);
        const reading = readPage(page.document, page.url, [profile]);
        if ('refuses' in outcome) {
          // Refusing is saying so: a reading that failed with problems in words, or no match.
          if (reading) {
            expect(reading.result.ok, explain(reading)).toBe(false);
            if (!reading.result.ok) for (const p of reading.result.problems) expect(describeProblem(p)).toMatch(/^[^{}]+$/);
          }
          return;
        }
        expect(reading?.kind, explain(reading)).toBe(kind);
        expect(reading!.result.ok, explain(reading)).toBe(true);
        if (reading!.result.ok) expect(reading!.result.value).toEqual(expectedFor(layout, kind, profile));
        // The controls find their place too.
        expect(reading!.anchor).toBeNull();
      });
    }
  }

  if ('reads' in layout.expect.guess.unit) {
    it('the guess from each page alone reads that page', () => {
      for (const kind of ['unit', 'booking'] as const) {
        const page = open(layout, kind);
        const reading = readPage(page.document, page.url, [guessProfileFromPage(page.document, page.url)]);
        expect(reading?.kind, explain(reading)).toBe(kind);
        expect(reading!.result.ok && reading!.result.value, explain(reading)).toEqual(layout[kind].expected);
      }
    });

    it('the guess from one tab alone reads the other kind of page too, the booking state aside', () => {
      // A page no tab showed gets the common labels; its state words are not guessed.
      const u = open(layout, 'unit');
      const b = open(layout, 'booking');
      const fromUnit = readPage(b.document, b.url, [guessProfileFromPage(u.document, u.url)]);
      expect(fromUnit?.result.ok && fromUnit.result.value, explain(fromUnit)).toEqual({ ...layout.booking.expected, state: null });
      const fromBooking = readPage(u.document, u.url, [guessProfileFromPage(b.document, b.url)]);
      expect(fromBooking?.result.ok && fromBooking.result.value, explain(fromBooking)).toEqual(layout.unit.expected);
    });
  }
});

describe('what the corpus needs from extraction', () => {
  const layout = (name: string) => layouts.find((l) => l.name === name)!;
  const legacy = (p: SiteProfile): SiteProfile => {
    const { scope: _scope, ...rest } = p;
    return siteProfileSchema.parse(rest);
  };

  it('tries every link: the navigation’s and the breadcrumb’s /units fail, the booking’s own link wins (a profile saved before scopes)', () => {
    const page = open(layout('table-nav'), 'booking');
    const reading = readPage(page.document, page.url, [legacy(kinnovisManagerTemplate(CORPUS_ORIGIN))]);
    expect(reading?.result).toMatchObject({ ok: true, value: { unitExternalId: 'U-101' } });
  });

  it('names what it tried when no match is usable', () => {
    const page = open(layout('table-nav'), 'booking');
    const doc = page.document.cloneNode(true) as Document;
    doc.querySelector('a[href="/units/U-101"]')!.setAttribute('href', '/unit-list');
    const reading = readPage(doc, page.url, [legacy(kinnovisManagerTemplate(CORPUS_ORIGIN))]);
    expect(reading?.result.ok).toBe(false);
    const problems = reading && !reading.result.ok ? reading.result.problems.map((p) => describeProblem(p)) : [];
    expect(problems).toEqual([
      'Unit ID of the booking: selector `a[href*="/unit"]` matched 3 elements, none with a usable value: ' +
        '1) the pattern `/units?/(?<value>[A-Za-z0-9_-]+)` does not match “/units”; 2) the pattern `/units?/(?<value>[A-Za-z0-9_-]+)` does not match “/unit-list”',
    ]);
    expect(describeProblem(reading && !reading.result.ok ? reading.result.problems[0]! : ({} as never), 'de')).toMatch(/^Einheiten-ID der Buchung: der Selektor .* findet 3 Elemente, keines mit brauchbarem Wert: 1\) /);
  });

  it('reads the content, not a sidebar placed before it; reading the whole page would take the sidebar’s unit and tenant', () => {
    const page = open(layout('dl-german'), 'booking');
    const content = readPage(page.document, page.url, [kinnovisManagerTemplate(CORPUS_ORIGIN)]);
    expect(content?.result).toMatchObject({ ok: true, value: { unitExternalId: '4711', tenantName: 'Anna Gruber', tenantEmail: 'anna.gruber@example.at' } });
    const whole = readPage(page.document, page.url, [legacy(kinnovisManagerTemplate(CORPUS_ORIGIN))]);
    expect(whole?.result).toMatchObject({ ok: true, value: { unitExternalId: '4700', tenantName: 'Max Huber' } });
  });

  it('finds the largest content container when there is no <main>, and says when a label is only in the chrome', () => {
    const page = open(layout('aria-grid'), 'unit');
    const input = structuredClone(kinnovisManagerTemplate(CORPUS_ORIGIN)) as SiteProfileInput;
    input.unitPage.fields.location = [{ from: 'label', label: 'Email' }];
    const reading = readPage(page.document, page.url, [siteProfileSchema.parse(input)]);
    // Optional and only in the footer: a note, not a value.
    expect(reading?.result).toEqual({
      ok: true,
      value: { externalId: 'X-1', name: 'X-1', location: null },
      notes: [{ field: 'unit.location', code: 'label_only_chrome', strategy: 0, params: { label: 'Email' } }],
    });
    const notes = reading?.result.ok ? reading.result.notes : [];
    expect(describeProblem(notes[0]!)).toBe(
      'Location: the label “Email” appears only in the navigation, header, footer or sidebars, which this profile does not read',
    );
  });

  it('reads a label’s inline text and a drop-down’s chosen option as shown', () => {
    const u = open(layout('form-fields'), 'unit');
    const guess = guessProfileFromPage(u.document, u.url);
    expect(guess.unitPage).toMatchObject({ urlPattern: '/unit\\.php\\?(?:[^#]*&)?id=(?<unitId>[^&#]+)' });
    expect(readPage(u.document, u.url, [guess])?.result).toMatchObject({ ok: true, value: { location: 'Bremen' } });
  });
});
