/**
 * What the manager content script shows for the page it is on, derived from the profile's
 * reading of the page (`readPage`). Plain data, so it is compared cheaply on every DOM change
 * and the panel re-renders only when the page really changed.
 */
import type { BookingPageData, PageReading, Problem, SiteProfile, UnitPageData } from '../../lib/site-profile/index.ts';

export interface ProfileRef {
  id: string;
  name: string;
}

export type ManagerPage =
  | { kind: 'none' }
  | { kind: 'unit'; profile: ProfileRef; unit: UnitPageData; anchorProblem: Problem | null }
  | { kind: 'booking'; profile: ProfileRef; booking: BookingPageData; anchorProblem: Problem | null }
  /** A matching page whose values could not be read: the profile needs fixing. */
  | { kind: 'unreadable'; profile: ProfileRef; pageKind: 'unit' | 'booking'; problems: Problem[]; anchorProblem: Problem | null };

export function pageFromReading(reading: PageReading | null, profiles: readonly SiteProfile[]): ManagerPage {
  if (!reading) return { kind: 'none' };
  const p = profiles.find((x) => x.id === reading.profileId);
  const profile = { id: reading.profileId, name: p?.name ?? reading.profileId };
  const anchorProblem = reading.anchor;
  if (!reading.result.ok) return { kind: 'unreadable', profile, pageKind: reading.kind, problems: reading.result.problems, anchorProblem };
  return reading.kind === 'unit'
    ? { kind: 'unit', profile, unit: reading.result.value, anchorProblem }
    : { kind: 'booking', profile, booking: reading.result.value, anchorProblem };
}

export function samePage(a: ManagerPage, b: ManagerPage): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Renders a fresh panel (own state, own requests) when this changes: another unit or booking. */
export function pageKey(page: ManagerPage): string {
  switch (page.kind) {
    case 'unit':
      return `unit:${page.unit.externalId}`;
    case 'booking':
      return `booking:${page.booking.externalId}`;
    default:
      return page.kind;
  }
}
