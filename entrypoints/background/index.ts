/**
 * The background service worker: the extension's only network caller and the only holder
 * of the API token. It answers typed messages from our pages and from the portal content
 * script, replays queued changes when the API is back, and keeps content scripts in place.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createMessageRouter, listenForMessages, originOf, type BridgeError } from '../../lib/messages.ts';
import { createAdminHandlers } from './admin.ts';
import { ApiCallError } from './api-client.ts';
import { createBulkHandlers } from './bulk.ts';
import { injectIntoOpenTabs, syncPortalScripts } from './content-scripts.ts';
import { createManagerHandlers } from './manager.ts';
import { createMappingProposalHandlers } from './mapping-proposal.ts';
import { createPortalHandlers } from './portal.ts';
import { createKeycafeHandlers } from './keycafe.ts';
import { registerManagerBackground } from './profiles.ts';
import { createBackgroundService } from './service.ts';
import { portalOriginsItem } from '../../lib/storage.ts';

const REPLAY_ALARM = 'replay-queue';

function toBridgeError(error: unknown): BridgeError {
  if (error instanceof ApiCallError) return error.info;
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error), fieldErrors: [] };
}

export default defineBackground(() => {
  const service = createBackgroundService();
  const manager = createManagerHandlers(service);
  const extensionOrigin = originOf(browser.runtime.getURL('/'))!;

  // Listeners first and synchronously: an event that woke the worker is delivered only to
  // listeners registered in the first turn.
  listenForMessages(
    createMessageRouter({
      handlers: { ...service.handlers, ...manager.handlers, ...createBulkHandlers(service), ...createKeycafeHandlers(service), ...createMappingProposalHandlers(service), ...createPortalHandlers(service), ...createAdminHandlers(service) },
      policy: async (sender) => ({
        extensionId: browser.runtime.id,
        extensionOrigin,
        contentScriptOrigins: await service.contentScriptOrigins(),
        managerOrigins: await manager.scriptOrigins(sender.url),
      }),
      toError: toBridgeError,
    }),
  );

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REPLAY_ALARM) void service.replayIfPending();
  });

  browser.runtime.onInstalled.addListener(() => {
    void (async () => {
      const origins = await portalOriginsItem.getValue();
      await syncPortalScripts(origins).catch((e: unknown) => console.warn('AccessBridge: could not register portal scripts', e));
      await injectIntoOpenTabs(origins).catch((e: unknown) => console.warn('AccessBridge: could not inject into open tabs', e));
    })();
  });

  browser.runtime.onStartup.addListener(() => void service.replayIfPending());
  registerManagerBackground(manager.followDemoManager);

  // Every wake-up: keep the once-a-minute replay alarm, the badge and the registrations current.
  void (async () => {
    if (!(await browser.alarms.get(REPLAY_ALARM))) await browser.alarms.create(REPLAY_ALARM, { periodInMinutes: 1 });
    await service.refreshBadge();
    await syncPortalScripts(await portalOriginsItem.getValue()).catch(() => undefined);
    await service.replayIfPending();
  })();
});
