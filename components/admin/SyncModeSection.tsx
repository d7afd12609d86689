import { useSignal } from '@preact/signals';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { NeedsLocation, Section, useAction, type AdminState } from './shared.tsx';

type Trigger = 'booking_creation' | 'move_in_reached';

/**
 * Sync mode, with the seed's explanation beside each choice, and the triggers of the manager's
 * "access ready" email ("Booking creation" and/or "Move-in date reached"). Needs the Tapkey
 * connection, whose settings hold both.
 */
export function SyncModeSection({ state }: { state: AdminState }) {
  const { t } = useUi();
  // Outside the form: saving re-creates the form from the saved settings, the message stays.
  const action = useAction();
  return (
    <Section id="sync-mode" title={t('admin.syncMode.heading')}>
      <NeedsLocation state={state}>
        {(location) =>
          location.tapkey ? (
            <SyncModeForm
              // Saved settings that change (here or elsewhere) start the form again from them.
              key={`${location.id}:${location.tapkey.syncMode}:${location.tapkey.accessTriggers.join()}`}
              state={state}
              action={action}
              locationId={location.id}
              mode={location.tapkey.syncMode}
              triggers={location.tapkey.accessTriggers}
            />
          ) : (
            <p class="hint">{t('admin.syncMode.connectFirst')}</p>
          )
        }
      </NeedsLocation>
      <StatusMessage notice={action.notice.value} />
    </Section>
  );
}

function SyncModeForm({
  state,
  action,
  locationId,
  mode,
  triggers,
}: {
  state: AdminState;
  action: ReturnType<typeof useAction>;
  locationId: string;
  mode: 'gradual' | 'full';
  triggers: Trigger[];
}) {
  const { t, send } = useUi();
  const { busy, run } = action;
  const chosenMode = useSignal(mode);
  const chosenTriggers = useSignal<Trigger[]>(triggers);
  const none = chosenTriggers.value.length === 0;

  async function save(e: Event) {
    e.preventDefault();
    const saved = await run(
      'save',
      () => send({ type: 'adminSaveSyncMode', locationId, syncMode: chosenMode.value, triggers: chosenTriggers.value }),
      (r) => t(r.location.tapkey?.syncMode === 'full' ? 'admin.syncMode.savedFull' : 'admin.syncMode.savedGradual'),
    );
    if (saved) await state.reload();
  }

  const toggle = (trigger: Trigger, on: boolean) =>
    (chosenTriggers.value = on ? [...new Set([...chosenTriggers.value, trigger])] : chosenTriggers.value.filter((x) => x !== trigger));

  return (
    <form onSubmit={(e) => void save(e)}>
      <fieldset class="modes">
        <legend>{t('admin.syncMode.legend')}</legend>
        {(['gradual', 'full'] as const).map((m) => (
          <div class="mode" key={m}>
            <label class="check">
              <input
                type="radio"
                name="sync-mode"
                value={m}
                checked={chosenMode.value === m}
                aria-describedby={`sync-mode-${m}-explain`}
                onChange={() => (chosenMode.value = m)}
              />{' '}
              {t(`admin.syncMode.${m}`)}
            </label>
            <p class="hint" id={`sync-mode-${m}-explain`}>
              {t(`admin.syncMode.${m}.explain`)}
            </p>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('admin.triggers.legend')}</legend>
        <p class="hint" id="triggers-hint">
          {t('admin.triggers.hint')}
        </p>
        {(['booking_creation', 'move_in_reached'] as const).map((trigger) => (
          <label class="check" key={trigger}>
            <input
              type="checkbox"
              checked={chosenTriggers.value.includes(trigger)}
              aria-describedby="triggers-hint"
              onChange={(e) => toggle(trigger, e.currentTarget.checked)}
            />{' '}
            {t(`admin.triggers.${trigger}`)}
          </label>
        ))}
        {none ? <p class="field-error">{t('admin.triggers.none')}</p> : null}
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={busy.value !== null || none}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
