/**
 * The portal control's dialog, given by the host: the mapping dialog (picker, search,
 * conflicts) is most of the portal UI's code, and a portal page shows the control far more
 * often than the dialog. The content script gives a version that loads its code on first use
 * (components/portal/lazy-dialogs.ts); tests and other hosts give the component itself
 * (components/portal/eager-dialogs.ts). Like components/manager/dialogs.ts.
 */
import type { ComponentType } from 'preact';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { MapLockDialogProps } from '../MapLockDialog.tsx';

export interface PortalDialogs {
  MapLock: ComponentType<MapLockDialogProps>;
}

export const PortalDialogsContext = createContext<PortalDialogs | null>(null);

export function usePortalDialogs(): PortalDialogs {
  const dialogs = useContext(PortalDialogsContext);
  if (!dialogs) throw new Error('No PortalDialogsContext: the host gives the portal dialogs.');
  return dialogs;
}
