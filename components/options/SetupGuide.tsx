import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import type { SettingsView } from '../../lib/messages.ts';
import { setupSteps, type SetupFacts } from './setup-steps.ts';
import { useUi } from '../ui-context.ts';
import './setup-guide.css';

/** Site profiles change in another section and through the browser's prompt. */
const RECHECK_MS = 2000;

export interface SetupGuideProps {
  settings: SettingsView;
}

/**
 * The first-hour guide at the top of options: connect → choose location → grant manager
 * site → done, with a progress bar. Each step reads the real state (the background's
 * connection check, the saved location, granted site profiles), never a "done" checkbox.
 * Site profiles are granted in another section and through the browser's own prompt, so the
 * guide re-reads the state on focus and every few seconds until it is complete.
 */
export function SetupGuide({ settings }: SetupGuideProps) {
  const { t, send } = useUi();
  const facts = useSignal<SetupFacts | null>(null);
  const headingId = useId();

  async function refresh() {
    const [status, profiles] = await Promise.all([
      send({ type: 'status' }).catch(() => null),
      send({ type: 'listSiteProfiles' }).catch(() => null),
    ]);
    facts.value = {
      connected: status?.state === 'connected',
      locationChosen: settings.locationId !== null,
      managerGranted: profiles?.profiles.some((p) => p.active && p.granted && p.registered) ?? false,
    };
  }

  const f = facts.value;
  const complete = f !== null && f.connected && f.locationChosen && f.managerGranted;
  useEffect(() => {
    void refresh();
    const again = () => void refresh();
    window.addEventListener('focus', again);
    // Until every step is done, look again now and then: each reply is a local message.
    const timer = complete ? undefined : setInterval(again, RECHECK_MS);
    return () => {
      window.removeEventListener('focus', again);
      clearInterval(timer);
    };
  }, [settings.apiUrl, settings.hasToken, settings.tokenHint, settings.locationId, complete]);

  if (!f) return null;
  const steps = setupSteps(f);
  const done = steps.filter((s) => s.done).length;
  const current = steps.find((s) => !s.done);
  return (
    <section class="setup-guide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('setup.heading')}</h2>
      <progress max={steps.length} value={done} aria-labelledby={headingId} aria-valuetext={t('setup.progress', { done, total: steps.length })} />
      <p class="hint">{t('setup.progress', { done, total: steps.length })}</p>
      <ol class="setup-steps">
        {steps.map((step) => (
          <li key={step.id} class={step.done ? 'setup-done' : step === current ? 'setup-current' : 'setup-todo'} aria-current={step === current ? 'step' : undefined}>
            <span class="setup-mark" aria-hidden="true">
              {step.done ? '✓' : '•'}
            </span>
            <span>
              <strong>{t(`setup.step.${step.id}`)}</strong>
              {' — '}
              {step.done ? t('setup.state.done') : t(`setup.hint.${step.id}`)}
            </span>
          </li>
        ))}
      </ol>
      <p role="status" class={current ? 'hint' : 'ab-success'}>
        {current ? '' : t('setup.allDone')}
      </p>
    </section>
  );
}
