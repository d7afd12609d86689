/**
 * The admin page's world for background tests: the Tapkey and Keycafe sandboxes, the real API
 * over HTTP (test/helpers/api.ts) with an outbox worker, and the background service with the
 * admin handlers, on WXT's fake browser, calling that API with a real token.
 */
import { startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { ControllableClock, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { KeycafeService } from '../../server/keycafe/service.ts';
import { OutboxWorker } from '../../server/outbox/outbox.ts';
import { clearTapkeyTokenCache } from '../../server/tapkey/client.ts';
import { createAdminHandlers } from '../../entrypoints/background/admin.ts';
import { createBackgroundService } from '../../entrypoints/background/service.ts';
import type { AdminMessageType } from '../../lib/admin-messages.ts';
import type { HandlerContext, MessageInput, ResponseMap } from '../../lib/messages.ts';
import { messageSchemas } from '../../lib/messages.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { grantByHand } from '../helpers/tapkey-grants.ts';
import { FAST_WORKER } from '../tapkey/helpers.ts';

export const ctx: HandlerContext = { kind: 'extension-page', url: 'chrome-extension://test-extension-id/admin.html' };

export interface AdminWorld {
  tapkey: TapkeySandbox;
  keycafe: KeycafeSandbox;
  api: TestApi;
  /** Every answer the admin handlers gave, as JSON (for the "no secret comes back" checks). */
  replies: string[];
  /** Sends an admin message as the router would: parsed with its schema, then handled. */
  send<M extends MessageInput<AdminMessageType>>(message: M): Promise<ResponseMap[M['type']]>;
  /** A Tapkey grant made by hand, outside AccessBridge (what a full sync reports as unexplained). */
  grantByHand(email: string, lockId: string): string;
  close(): Promise<void>;
}

export async function startAdminWorld(): Promise<AdminWorld> {
  clearTapkeyTokenCache();
  const tapkey = await startTapkeySandbox();
  const clock = new ControllableClock({ speed: 1 });
  const keycafe = await startKeycafeSandbox({ clock });
  const service = new KeycafeService({ apiUrl: keycafe.url, clock, timeoutMs: 2_000 });
  const api = await startTestApi({ deps: { tapkey: { tokenUrl: tapkey.tokenUrl, apiUrl: tapkey.apiUrl, retryBaseMs: 10, timeoutMs: 2000 }, keycafe: service } });
  const worker = new OutboxWorker(api.database.db, createJobHandlers(api.deps), FAST_WORKER);
  api.deps.kickOutbox = () => worker.kick();
  worker.start();

  const background = createBackgroundService({ version: 'test', client: { retries: 0, retryDelay: () => 0, timeoutMs: 10_000 } });
  await background.handlers.saveSettings({ type: 'saveSettings', apiUrl: api.url, token: api.token }, ctx);
  const handlers = createAdminHandlers(background);
  const replies: string[] = [];

  return {
    tapkey,
    keycafe,
    api,
    replies,
    async send(message) {
      const parsed = messageSchemas[message.type].parse(message);
      const handler = handlers[message.type] as unknown as (m: unknown, c: HandlerContext) => Promise<unknown>;
      try {
        const reply = await handler(parsed, ctx);
        replies.push(JSON.stringify(reply));
        return reply as never;
      } catch (error) {
        replies.push(JSON.stringify(error, Object.getOwnPropertyNames(error)));
        throw error;
      }
    },
    grantByHand: (email, lockId) => grantByHand(tapkey.state, email, lockId),
    async close() {
      await worker.stop();
      await api.close();
      await keycafe.close();
      await tapkey.close();
    },
  };
}
