/**
 * Every call of the widget on one client (widget/request.ts): the views each build only their
 * own part (widget/keycafe-client.ts, widget/map-client.ts), so each chunk carries its own.
 */
import { keycafeClient } from './keycafe-client.ts';
import { mapClient } from './map-client.ts';
import { createWidgetRequest, type WidgetClientOptions } from './request.ts';

export type { WidgetClientOptions } from './request.ts';

export function createWidgetClient(options: WidgetClientOptions) {
  const request = createWidgetRequest(options);
  return { ...keycafeClient(request), ...mapClient(request) };
}

export type WidgetClient = ReturnType<typeof createWidgetClient>;
