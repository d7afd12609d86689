import { useMemo } from 'preact/hooks';
import { useUi } from '../components/ui-context.ts';
import { BookingView } from './BookingView.tsx';
import { createWidgetClient } from './client.ts';
import { MapLockView } from './MapLockView.tsx';

export interface WidgetAttributes {
  view: string | null;
  api: string | null;
  token: string | null;
  key: string | null;
  unit: string | null;
}

/** Picks the view the attributes ask for, or says plainly which attribute is wrong. */
export function WidgetApp({ attrs }: { attrs: WidgetAttributes }) {
  const { t, lang } = useUi();
  const client = useMemo(
    () => (attrs.api && attrs.token ? createWidgetClient({ apiUrl: attrs.api, token: attrs.token, lang, t }) : null),
    [attrs.api, attrs.token, lang],
  );
  const missing = (name: string) => t('kcui.widget.missingAttribute', { name });
  const problem = !attrs.api
    ? missing('api')
    : !attrs.token
      ? missing('token')
      : attrs.view !== 'keycafe-booking' && attrs.view !== 'map-lock'
        ? attrs.view
          ? t('kcui.widget.unknownView', { view: attrs.view })
          : missing('view')
        : attrs.view === 'map-lock' && !attrs.unit
          ? missing('unit')
          : null;
  if (problem || !client)
    return (
      <p role="alert" class="ab-alert">
        {t('kcui.widget.badAttributes', { problem: problem ?? missing('api') })}
      </p>
    );
  return attrs.view === 'map-lock' ? <MapLockView client={client} unitRef={attrs.unit!} /> : <BookingView client={client} keyRef={attrs.key} />;
}
