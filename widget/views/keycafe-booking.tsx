/** `view="keycafe-booking"`: its own chunk, with the booking dialog and the phone metadata. */
import { BookingView } from '../BookingView.tsx';
import { keycafeClient } from '../keycafe-client.ts';
import { defineView } from '../WidgetApp.tsx';

export default defineView(keycafeClient, ({ client, attrs }) => <BookingView client={client} keyRef={attrs.key} />);
