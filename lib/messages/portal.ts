/**
 * The portal content script's own setup: its strings and its dialog's code. Part of the message
 * protocol (lib/messages.ts); the lock messages it sends are core ones.
 */
import { z } from 'zod';
import type { Language } from '../i18n/catalog.ts';
import { message, PORTAL } from './define.ts';

// Handlers: entrypoints/background/portal.ts.

export const portalMessages = {
  /** The user's language and its strings only (lib/i18n/portal-strings.ts), so the page script carries no catalog. */
  portalPage: message<{ language: Language; strings: Record<string, string> }>()(z.object({ type: z.literal('portalPage') }), PORTAL),
  /**
   * On the first open of the mapping dialog: the background injects its code
   * (entrypoints/portal-dialogs.tsx) into the sender's frame, in the content script's isolated world.
   */
  portalDialogs: message<{ injected: true }>()(z.object({ type: z.literal('portalDialogs') }), PORTAL),
} as const;

export type PortalMessageType = keyof typeof portalMessages;
