/**
 * The real background (entrypoints/background/index.ts) on WXT's fake browser, asked the way
 * the browser delivers messages from content scripts and extension pages.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { expect, vi } from 'vitest';
import { ApiCallError } from '../../entrypoints/background/api-client.ts';
import type { Reply } from '../../lib/messages.ts';
import { demoManagerProfile } from '../../lib/site-profile/index.ts';
import { fakeHostAccess } from '../manager-ext/fake-host-access.ts';
import type { TestApi } from './api.ts';

/** The extension's options page as a message sender. */
export const optionsPage = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') });

/** Delivers a message the way the browser does: (message, sender, sendResponse). */
export function ask<T = unknown>(message: unknown, sender: object): Promise<Reply<never> & { data: T }> {
  const trigger = fakeBrowser.runtime.onMessage.trigger as unknown as (...args: unknown[]) => Promise<unknown>;
  return new Promise((resolve) => void trigger(message, sender, resolve)) as Promise<Reply<never> & { data: T }>;
}

/** The answer's data; throws (naming the message type and the error) when the background refuses. */
export async function answer<T>(message: unknown, sender: object): Promise<T> {
  const reply = await ask<T>(message, sender);
  if (!reply.ok) throw new Error(`${(message as { type: string }).type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

/** Starts the background's main() on a fresh fake browser with a manifest of version 9.9.9. */
export async function startBackground(): Promise<void> {
  const { default: background } = await import('../../entrypoints/background/index.ts');
  fakeBrowser.runtime.getManifest = () => ({ manifest_version: 3, name: 'AccessBridge', version: '9.9.9', content_scripts: [] }) as never;
  background.main();
}

/**
 * A fresh background connected to `api`, with the demo manager's built-in profile saved for
 * `managerOrigin` and granted (the options page's steps), and no open tabs.
 */
export async function startBackgroundWithDemoManager(api: TestApi, managerOrigin: string): Promise<void> {
  fakeBrowser.reset();
  fakeHostAccess();
  fakeBrowser.tabs.query = vi.fn(async () => []) as never;
  await startBackground();
  await answer({ type: 'saveSettings', apiUrl: api.url, token: api.token }, optionsPage());
  await answer({ type: 'saveSiteProfile', profile: demoManagerProfile(managerOrigin) }, optionsPage());
  const { protocol, hostname } = new URL(managerOrigin);
  await fakeBrowser.permissions.request({ origins: [`${protocol}//${hostname}/*`] });
  await answer({ type: 'grantSiteProfile', id: 'demo-manager' }, optionsPage());
}

/** The error info of a background call that must fail with an API call error. */
export async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiCallError);
  return (error as ApiCallError).info;
}
