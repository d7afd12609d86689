/** `view="map-lock"`: its own chunk, with the lock picker. */
import { MapLockView } from '../MapLockView.tsx';
import { defineView } from '../WidgetApp.tsx';

export default defineView(({ client, attrs }) => <MapLockView client={client} unitRef={attrs.unit!} />);
