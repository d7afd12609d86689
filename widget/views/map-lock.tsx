/** `view="map-lock"`: its own chunk, with the lock picker. */
import { mapClient } from '../map-client.ts';
import { MapLockView } from '../MapLockView.tsx';
import { defineView } from '../WidgetApp.tsx';

export default defineView(mapClient, ({ client, attrs }) => <MapLockView client={client} unitRef={attrs.unit!} />);
