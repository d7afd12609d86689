/**
 * The manager dialogs for the content script: their code is not in the page-load script. On a
 * first open the background injects entrypoints/manager-dialogs.tsx into this frame's isolated
 * world (the `managerDialogs` message), as components/lazy-dialogs.tsx describes.
 */
import { lazyDialogs, type DialogsScript } from '../lazy-dialogs.tsx';
import type { ManagerDialogs } from './dialogs.ts';

export const MANAGER_DIALOGS: DialogsScript = { global: '__accessbridgeManagerDialogs', inject: { type: 'managerDialogs' } };

export const lazyManagerDialogs = lazyDialogs<ManagerDialogs>(MANAGER_DIALOGS, ['LockPicker', 'KeycafeBooking']);
