/**
 * The portal control's mapping dialog, injected by the background into a portal page's frame on
 * its first use (the `portalDialogs` message, entrypoints/background/portal.ts) so the content
 * script that runs on every portal page load stays small (components/portal/lazy-dialogs.ts).
 * Runs in the content script's isolated world, like entrypoints/manager-dialogs.tsx.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { exposeDialogs } from '../components/dialogs-script.tsx';
import { MapLockDialog, type MapLockDialogProps } from '../components/MapLockDialog.tsx';
import { PORTAL_DIALOGS } from '../components/portal/lazy-dialogs.ts';

export default defineUnlistedScript(() => {
  exposeDialogs(PORTAL_DIALOGS, (_kind, props) => <MapLockDialog {...(props as MapLockDialogProps)} />);
});
