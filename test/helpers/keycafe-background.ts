/**
 * The booking dialog's `KeycafeApi` as a given sender gets it, end to end below the UI: the
 * message-based API → the real message router (sender checks, zod) → the background's Keycafe
 * handlers → the sync API of a Keycafe test world (test/keycafe/helpers.ts).
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { KeycafeApi } from '../../components/keycafe/api.ts';
import { createMessageKeycafeApi } from '../../components/keycafe/message-api.ts';
import { createKeycafeHandlers } from '../../entrypoints/background/keycafe.ts';
import { createBackgroundService } from '../../entrypoints/background/service.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { translate } from '../../lib/i18n/index.ts';
import { createMessageRouter, createSender, type Handlers, type RouterOptions, type SenderLike, type SenderPolicy } from '../../lib/messages.ts';
import { settled, type KeycafeWorld } from '../keycafe/helpers.ts';
import { waitUntil } from './wait.ts';

export type BackgroundService = ReturnType<typeof createBackgroundService>;

/** A fresh background service (fake browser reset), connected to the world's API from `extensionPageUrl`. */
export async function connectedBackground(world: KeycafeWorld, extensionPageUrl: string): Promise<BackgroundService> {
  fakeBrowser.reset();
  const service = createBackgroundService({ version: 'test', client: { retries: 0, retryDelay: () => 0, timeoutMs: 10_000 } });
  await service.handlers.saveSettings({ type: 'saveSettings', apiUrl: world.api.url, token: world.api.token }, { kind: 'extension-page', url: extensionPageUrl });
  return service;
}

/** The dialog's API for `sender`; only the core and Keycafe messages are sent through it. */
export function keycafeApiFor(service: BackgroundService, policy: SenderPolicy, sender: SenderLike, toError: RouterOptions['toError']): KeycafeApi {
  const router = createMessageRouter({
    handlers: { ...service.handlers, ...createKeycafeHandlers(service) } as unknown as Handlers,
    policy: async () => policy,
    toError,
  });
  return createMessageKeycafeApi(
    createSender((m) => router(m, sender)),
    (key, params) => translate('en', key, params),
  );
}

/** Polls the booking through `api` until no key is pending any more. */
export function untilSettled(api: KeycafeApi, id: string): Promise<KeycafeBooking> {
  return waitUntil(
    'settled booking',
    async () => {
      const b = await api.getBooking(id);
      return settled(b) ? b : null;
    },
    20_000,
  );
}
