/**
 * Injecting a content script's dialogs on their first use (components/lazy-dialogs.tsx): the
 * dialogs' unlisted script goes into the sender's own frame, in the default (isolated) world,
 * the content script's, so no file has to be web-accessible.
 */
import { browser } from 'wxt/browser';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import type { HandlerContext } from '../../lib/messages.ts';
import { ApiCallError } from './api-client.ts';

export async function injectDialogs(file: ScriptPublicPath, { tabId, frameId }: HandlerContext): Promise<{ injected: true }> {
  if (tabId === undefined) throw new ApiCallError({ kind: 'forbidden', message: 'Only a page can open the dialogs.', fieldErrors: [] });
  await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId ?? 0] }, files: [file] });
  return { injected: true };
}
