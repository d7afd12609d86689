import { browser } from 'wxt/browser';
import { translate, type Language } from '../../lib/i18n/index.ts';
import type { QueueCounts } from '../../lib/queue.ts';

/** Pending and failed queued changes on the toolbar button: red when something failed. */
export async function showQueueBadge({ pending, failed }: QueueCounts, lang: Language): Promise<void> {
  // MV3 has `action`; Firefox's MV2 build has `browserAction`.
  const action = browser.action ?? browser.browserAction;
  if (!action) return;
  const total = pending + failed;
  await action.setBadgeText({ text: total ? String(total) : '' });
  if (total) await action.setBadgeBackgroundColor({ color: failed ? '#b3261e' : '#8a5a00' });
  const title = !total
    ? translate(lang, 'ext.badge.idle')
    : failed
      ? translate(lang, 'ext.badge.failed', { pending, failed })
      : translate(lang, 'ext.badge.pending', { pending });
  await action.setTitle({ title });
}
