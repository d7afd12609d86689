import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import type { SiteProfileView, SiteProfilesView } from '../../lib/messages.ts';
import { DEMO_MANAGER_PROFILE_ID, demoManagerProfile, kinnovisManagerTemplate } from '../../lib/site-profile/index.ts';
import { describeError } from '../describe-error.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { ProfileEditor } from './ProfileEditor.tsx';
import { blankForm, formFromProfile, type ProfileForm } from './profile-form.ts';

export interface SiteProfilesSectionProps {
  /** Asks the user for a host permission; must be called first thing in a click handler. */
  requestHost: (pattern: string) => Promise<boolean>;
}

function ProfileItem({ v, onGrant, onRevoke, onEdit, onRemove }: { v: SiteProfileView; onGrant: () => void; onRevoke: () => void; onEdit: () => void; onRemove: () => void }) {
  const { t } = useUi();
  const nameId = useId();
  const active = v.active && v.granted && v.registered;
  return (
    <li>
      <section class="profile" aria-labelledby={nameId}>
        <h3 id={nameId}>{v.profile.name}</h3>
        <p>{t('manager.profiles.origin', { origin: v.profile.origin })}</p>
        <p class={active ? 'ab-success' : 'hint'}>
          {active ? t('manager.profiles.active') : v.active && v.granted ? t('manager.profiles.notRegistered') : t('manager.profiles.notGranted')}
        </p>
        <div class="actions">
          {!active ? (
            <button type="button" onClick={onGrant}>
              {t('manager.profiles.grant')}
            </button>
          ) : null}
          {v.active ? (
            <button type="button" onClick={onRevoke}>
              {t('manager.profiles.revoke')}
            </button>
          ) : null}
          <button type="button" onClick={onEdit}>
            {t('manager.profiles.edit')}
          </button>
          <button type="button" onClick={onRemove}>
            {t('manager.profiles.remove')}
          </button>
        </div>
      </section>
    </li>
  );
}

/**
 * Options: the manager sites AccessBridge works on. Each profile's host is asked for at run
 * time ("Grant access to this site"); the background then registers the manager script there.
 */
export function SiteProfilesSection({ requestHost }: SiteProfilesSectionProps) {
  const { t, send } = useUi();
  const view = useSignal<SiteProfilesView | null>(null);
  const editing = useSignal<{ form: ProfileForm; isNew: boolean; key: number; offerGuess: boolean } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const headingId = useId();

  async function run(action: () => Promise<SiteProfilesView>, success?: string) {
    try {
      view.value = await action();
      notice.value = success ? { tone: 'success', text: success } : null;
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => {
    void run(() => send({ type: 'listSiteProfiles' }));
  }, []);

  async function grant(v: SiteProfileView) {
    // First, before anything awaits: the browser shows its prompt only during the click.
    const granted = await requestHost(v.pattern).catch(() => false);
    if (!granted) {
      notice.value = { tone: 'error', text: t('manager.profiles.denied', { origin: v.profile.origin }) };
      return;
    }
    await run(() => send({ type: 'grantSiteProfile', id: v.profile.id }), t('manager.profiles.granted', { origin: v.profile.origin }));
  }

  async function useDemo() {
    try {
      const { origin } = await send({ type: 'demoManagerOrigin' });
      if (!origin) {
        notice.value = { tone: 'error', text: t('manager.profiles.noDemo') };
        return;
      }
      const profile = demoManagerProfile(origin);
      await run(() => send({ type: 'saveSiteProfile', profile }), t('manager.profiles.saved', { name: profile.name }));
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  function edit(form: ProfileForm, isNew: boolean, offerGuess = false) {
    editing.value = { form, isNew, key: Date.now(), offerGuess };
    notice.value = null;
  }

  const v = view.value;
  const profiles = v?.profiles ?? [];
  const e = editing.value;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('manager.profiles.heading')}</h2>
      <p class="hint">{t('manager.profiles.intro')}</p>
      {v && !profiles.length ? <p>{t('manager.profiles.none')}</p> : null}
      {v && v.invalid > 0 ? <p class="ab-alert">{t('manager.profiles.invalid', { count: v.invalid })}</p> : null}
      <ul class="profiles">
        {profiles.map((p) => (
          <ProfileItem
            key={p.profile.id}
            v={p}
            onGrant={() => void grant(p)}
            onRevoke={() => void run(() => send({ type: 'revokeSiteProfile', id: p.profile.id }), t('manager.profiles.revoked', { origin: p.profile.origin }))}
            onEdit={() => edit(formFromProfile(p.profile), false)}
            onRemove={() => void run(() => send({ type: 'removeSiteProfile', id: p.profile.id }), t('manager.profiles.removed', { name: p.profile.name }))}
          />
        ))}
      </ul>
      {v && !e ? (
        <div class="actions">
          {!profiles.some((p) => p.profile.id === DEMO_MANAGER_PROFILE_ID) ? (
            <button type="button" onClick={() => void useDemo()}>
              {t('manager.profiles.useDemo')}
            </button>
          ) : null}
          {!profiles.some((p) => p.profile.id === 'kinnovis-manager') ? (
            // The template's page addresses are assumptions; the admin enters the origin and tests.
            <button type="button" onClick={() => edit({ ...formFromProfile(kinnovisManagerTemplate('https://manager.example.com')), origin: '' }, true)}>
              {t('manager.profiles.addKinnovis')}
            </button>
          ) : null}
          <button type="button" onClick={() => edit(blankForm(), true, true)}>
            {t('manager.profiles.addOther')}
          </button>
        </div>
      ) : null}
      {e ? (
        <ProfileEditor
          key={e.key}
          initial={e.form}
          isNew={e.isNew}
          offerGuess={e.offerGuess}
          requestHost={requestHost}
          onCancel={() => (editing.value = null)}
          onSaved={(next, name) => {
            view.value = next;
            editing.value = null;
            notice.value = { tone: 'success', text: t('manager.profiles.saved', { name }) };
          }}
        />
      ) : null}
      <StatusMessage notice={notice.value} />
    </section>
  );
}
