/**
 * What the Keycafe handlers keep for the popup, in storage. Apart from the handlers so the
 * popup can read it on its first-paint path without loading the schemas the handlers use.
 */
import { storage } from 'wxt/utils/storage';
import type { PopupRecent } from '../../lib/messages.ts';

/** The popup's lists as last fetched: it paints from these before asking for fresh ones. */
export const popupRecentItem = storage.defineItem<PopupRecent | null>('local:popupRecent', { fallback: null, version: 1 });

/** The popup's quick booking starts from the last key and language used. */
export interface KeycafeLastChoice {
  keyId: string;
  keyName: string;
  locale: string;
}
export const keycafeLastChoiceItem = storage.defineItem<KeycafeLastChoice | null>('local:keycafeLastChoice', { fallback: null, version: 1 });
