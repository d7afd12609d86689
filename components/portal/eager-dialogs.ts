/** The portal dialog bundled with its host (tests, extension pages): no loading step. */
import { MapLockDialog } from '../MapLockDialog.tsx';
import type { PortalDialogs } from './dialogs.ts';

export const eagerPortalDialogs: PortalDialogs = { MapLock: MapLockDialog };
