import { problemText, type Problem } from '../../lib/site-profile/problems.ts';
import { useUi } from '../ui-context.ts';

/**
 * Why AccessBridge cannot read this manager page, one sentence per problem, and which profile
 * to fix: a broken selector is a visible notice, never a silent failure.
 */
export function ProblemNotice({ problems, profileName }: { problems: Problem[]; profileName: string }) {
  const { t } = useUi();
  return (
    <div class="ab-notice" role="alert">
      <p class="ab-notice-title">{t('manager.notice.title')}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>{problemText(t, p)}</li>
        ))}
      </ul>
      <p>{t('manager.notice.profile', { profile: profileName })}</p>
    </div>
  );
}

/** The controls could not go where the profile says: they float, and the user is told why. */
export function AnchorNotice({ problem }: { problem: Problem }) {
  const { t } = useUi();
  return (
    <p class="ab-hint ab-anchor-note">
      {t('manager.notice.anchor')} {problemText(t, problem)}
    </p>
  );
}
