/** The map-lock view's calls: the session, the unit and its mapping, and the picker's API (components/mapping/api.ts). */
import type { MappingApi } from '../components/mapping/api.ts';
import { listOf } from '../lib/contract/common.ts';
import { lockSchema, mappingSchema, unitSchema } from '../lib/contract/mapping.ts';
import { sessionOf, type WidgetRequest } from './request.ts';

/** Locks listed per search; typing narrows. */
const LOCK_RESULTS = 50;

export function mapClient(request: WidgetRequest) {
  const lockList = listOf(lockSchema);
  const mappingList = listOf(mappingSchema);
  const unitPath = (externalId: string) => `/v1/units/${encodeURIComponent(externalId)}`;

  return {
    session: sessionOf(request),

    /** The mapping picker's API: the server searches the locks, `LOCK_RESULTS` at a time. */
    mapping(): MappingApi {
      return {
        async locks(search) {
          const page = await request(lockList, 'GET', '/v1/locks', { query: { search, limit: LOCK_RESULTS } });
          // The widget's lock list does not say which unit holds each lock; a conflict does.
          const items = page.items.map((lock) => ({ id: lock.id, title: lock.title, source: lock.source, mappedTo: null }));
          return { items, total: page.total, truncated: page.total > items.length };
        },
        save: async ({ unitExternalId, lockId, replace }) => ({
          status: 'saved',
          mapping: await request(mappingSchema, 'PUT', `${unitPath(unitExternalId)}/mapping`, { body: { lockId, replace } }),
        }),
      };
    },

    unit: (externalId: string) => request(unitSchema, 'GET', unitPath(externalId)),
    unitMapping: async (externalId: string) => (await request(mappingList, 'GET', '/v1/mappings', { query: { unitExternalId: externalId } })).items[0] ?? null,
    unmap: (externalId: string) => request(null, 'DELETE', `${unitPath(externalId)}/mapping`),
  };
}

export type MapClient = ReturnType<typeof mapClient>;
