import type { Signal } from '@preact/signals';
import type { KeycafeApi } from '../keycafe/api.ts';
import { useUi } from '../ui-context.ts';
import { BookingControls } from './BookingControls.tsx';
import { pageKey, type ManagerPage } from './page-state.ts';
import { AnchorNotice, ProblemNotice } from './ProblemNotice.tsx';
import { UnitControls } from './UnitControls.tsx';

export interface ManagerPanelProps {
  page: Signal<ManagerPage>;
  /** The Keycafe booking dialog's channel to the API (through the background). */
  keycafe: KeycafeApi | null;
}

/** What the manager content script shows: unit or booking controls, or why the page cannot be read. */
export function ManagerPanel({ page, keycafe }: ManagerPanelProps) {
  const { t } = useUi();
  const p = page.value;
  if (p.kind === 'none') return null;
  // A fresh subtree (state, requests) for every unit or booking the SPA navigates to.
  const key = pageKey(p);
  return (
    <section class={`ab-panel${p.anchorProblem ? ' ab-floating' : ''}`} aria-label={t('manager.panel.label')}>
      {p.anchorProblem ? <AnchorNotice problem={p.anchorProblem} /> : null}
      {p.kind === 'unreadable' ? <ProblemNotice key={key} problems={p.problems} profileName={p.profile.name} /> : null}
      {p.kind === 'unit' ? <UnitControls key={key} unit={p.unit} /> : null}
      {p.kind === 'booking' ? <BookingControls key={key} booking={p.booking} keycafe={keycafe} /> : null}
    </section>
  );
}
