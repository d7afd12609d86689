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
import { UiContext } from '../components/ui-context.ts';

const dialogs: ManagerDialogs = { LockPicker: LockPickerDialog, KeycafeBooking: BookingDialog };

export default defineUnlistedScript(() => {
  const mounter: DialogMounter = {
    mount(kind, container, props, ui) {
      const Dialog = dialogs[kind] as ComponentType<object>;
      render(
        <UiContext.Provider value={ui}>
          {kind === 'KeycafeBooking' ? <style>{keycafeDialogCss}</style> : null}
          <Dialog {...props} />
        </UiContext.Provider>,
        container,
      );
      return () => render(null, container);
    },
  };
  (globalThis as Record<string, unknown>)[DIALOGS_GLOBAL] = mounter;
});
