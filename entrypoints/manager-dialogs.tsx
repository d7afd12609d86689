/**
 * The manager panel's dialogs (the unit's lock picker, the Keycafe booking dialog), injected by
 * the background into a manager page's frame on their first use (the `managerDialogs` message,
 * entrypoints/background/manager.ts) so the content script that runs on every page load stays
 * small (components/manager/lazy-dialogs.tsx). Runs in the content script's isolated world:
 * it leaves a mounter on that world's global, which the page cannot see.
 */
import { render, type ComponentType } from 'preact';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { BookingDialog } from '../components/keycafe/BookingDialog.tsx';
import { keycafeDialogCss } from '../components/keycafe/style.ts';
import type { ManagerDialogs } from '../components/manager/dialogs.ts';
import { DIALOGS_GLOBAL, type DialogMounter } from '../components/manager/lazy-dialogs.tsx';
import { LockPickerDialog } from '../components/manager/LockPickerDialog.tsx';
import { createMessageKeycafeApi } from '../components/keycafe/message-api.ts';
import { UiContext } from '../components/ui-context.ts';
import { sendMessage } from '../lib/messages/send.ts';

const dialogs: ManagerDialogs = { LockPicker: LockPickerDialog, KeycafeBooking: BookingDialog };

export default defineUnlistedScript(() => {
  const mounter: DialogMounter = {
    mount(kind, container, props, ui) {
      const Dialog = dialogs[kind] as ComponentType<object>;
      // This script bundles its own copy of the message and error classes, which the dialogs
      // recognise with instanceof: they talk to the background through this copy, not the
      // content script's. Manager pages never show booking codes (the popup does).
      const own = { ...ui, send: sendMessage };
      const ownProps = kind === 'KeycafeBooking' ? { ...props, api: createMessageKeycafeApi(sendMessage, ui.t, { codesHidden: true }) } : props;
      render(
        <UiContext.Provider value={own}>
          {kind === 'KeycafeBooking' ? <style>{keycafeDialogCss}</style> : null}
          <Dialog {...ownProps} />
        </UiContext.Provider>,
        container,
      );
      return () => render(null, container);
    },
  };
  (globalThis as Record<string, unknown>)[DIALOGS_GLOBAL] = mounter;
});
