/**
 * What the popup loads when (or just after) it has painted: the booking dialog with what it
 * validates with (zod schemas, phone metadata) and the typed messages to the background.
 * None of it is imported statically, so none of it is in the first-paint bundle.
 */
import { BookingDialog } from '../../components/keycafe/BookingDialog.tsx';
import { createMessageKeycafeApi } from '../../components/keycafe/message-api.ts';
import type { Translate } from '../../components/ui-context.ts';
import { sendMessage } from '../../lib/messages/send.ts';
import type { PopupDialog } from './Popup.tsx';

export { sendMessage };
export { bridgeErrorOf, describeError } from '../../components/describe-error.ts';

export function popupDialog(t: Translate): PopupDialog {
  return { BookingDialog, api: createMessageKeycafeApi(sendMessage, t) };
}
