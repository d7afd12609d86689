/**
 * The manager panel's dialogs (the unit's lock picker, the Keycafe booking dialog), injected by
 * the background into a manager page's frame on their first use (the `managerDialogs` message,
 * entrypoints/background/manager.ts) so the content script that runs on every page load stays
 * small (components/manager/lazy-dialogs.tsx). Runs in the content script's isolated world:
 * it leaves a mounter on that world's global, which the page cannot see.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { exposeDialogs } from '../components/dialogs-script.tsx';
import { BookingDialog } from '../components/keycafe/BookingDialog.tsx';
import { createMessageKeycafeApi } from '../components/keycafe/message-api.ts';
import { keycafeDialogCss } from '../components/keycafe/style.ts';
import type { KeycafeDialogProps } from '../components/manager/dialogs.ts';
import { MANAGER_DIALOGS } from '../components/manager/lazy-dialogs.tsx';
import { LockPickerDialog, type LockPickerDialogProps } from '../components/manager/LockPickerDialog.tsx';
import { sendMessage } from '../lib/messages/send.ts';

export default defineUnlistedScript(() => {
  exposeDialogs(MANAGER_DIALOGS, (kind, props, ui) =>
    kind === 'KeycafeBooking' ? (
      <>
        <style>{keycafeDialogCss}</style>
        {/* Manager pages never show booking codes (the popup does). */}
        <BookingDialog {...(props as KeycafeDialogProps)} api={createMessageKeycafeApi(sendMessage, ui.t, { codesHidden: true })} />
      </>
    ) : (
      <LockPickerDialog {...(props as LockPickerDialogProps)} />
    ),
  );
});
