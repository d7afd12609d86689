/**
 * The portal dialog for the content script: its code is not in the page-load script. On a
 * first open the background injects entrypoints/portal-dialogs.tsx into this frame's isolated
 * world (the `portalDialogs` message), as components/lazy-dialogs.tsx describes.
 */
import { lazyDialogs, type DialogsScript } from '../lazy-dialogs.tsx';
import type { PortalDialogs } from './dialogs.ts';

export const PORTAL_DIALOGS: DialogsScript = { global: '__accessbridgePortalDialogs', inject: { type: 'portalDialogs' } };

export const lazyPortalDialogs = lazyDialogs<PortalDialogs>(PORTAL_DIALOGS, ['MapLock']);
