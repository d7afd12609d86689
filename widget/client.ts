/**
 * The widget's only network caller: the sync API's /widget routes with the page's widget
 * token. Answers are parsed with the shared contract; failures become KeycafeApiErrors with a
 * sentence for the page's visitor and the API's field errors.
 */
import type { z } from 'zod';
import { KeycafeApiError, type KeycafeApi } from '../components/keycafe/api.ts';
import { MappingConflictError, type MappingApi } from '../components/mapping/api.ts';
import type { Translate } from '../components/ui-context.ts';
import {
  errorBodySchema,
  keycafeBookingSchema,
  keycafeKeySchema,
  listOf,
  lockSchema,
  mappingConflictSchema,
  mappingSchema,
  unitSchema,
  widgetSessionSchema,
  type MappingConflict,
  type WidgetSession,
} from '../lib/contract.ts';

export interface WidgetClientOptions {
  /** The sync API's base URL (the `api` attribute). */
  apiUrl: string;
  token: string;
  lang: string;
  t: Translate;
  fetch?: typeof fetch;
}

/** Locks listed per search; typing narrows. */
const LOCK_RESULTS = 50;

type Query = Record<string, string | number | undefined>;

export function createWidgetClient({ apiUrl, token, lang, t, fetch: doFetch = globalThis.fetch.bind(globalThis) }: WidgetClientOptions) {
  const base = `${apiUrl.replace(/\/+$/, '')}/widget`;

  async function request<S extends z.ZodType>(schema: S | null, method: string, path: string, opts: { query?: Query; body?: unknown; headers?: Record<string, string> } = {}): Promise<z.infer<S>> {
    const qs = new URLSearchParams(Object.entries(opts.query ?? {}).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString();
    let res: Response;
    try {
      res = await doFetch(`${base}${path}${qs ? `?${qs}` : ''}`, {
        method,
        mode: 'cors',
        // Bearer token only: no cookies of the API's site ride along.
        credentials: 'omit',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'accept-language': lang,
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...opts.headers,
        },
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      });
    } catch {
      // DNS, refused connection and CORS refusals look the same to a page.
      throw new KeycafeApiError(t('kcui.widget.unreachable'), [], true);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const body = errorBodySchema.safeParse(json);
      const message = body.success ? body.data.error.message : `HTTP ${res.status}`;
      if (res.status === 409 && body.success) {
        const conflict = mappingConflictSchema.safeParse(body.data.details);
        if (conflict.success) throw new MappingConflictError(message, conflict.data);
      }
      throw new KeycafeApiError(
        res.status === 401 ? t('kcui.widget.tokenRefused', { message }) : message,
        body.success ? body.data.fieldErrors : [],
        res.status >= 500 || res.status === 429,
        res.status,
      );
    }
    if (!schema) return undefined as z.infer<S>;
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new KeycafeApiError(t('common.error.unknown', { message: `${method} ${path}: ${parsed.error.issues[0]?.message ?? 'unexpected answer'}` }), [], false, res.status);
    return parsed.data;
  }

  const keyList = listOf(keycafeKeySchema);
  const bookingList = listOf(keycafeBookingSchema);
  const lockList = listOf(lockSchema);
  const mappingList = listOf(mappingSchema);
  const unitPath = (externalId: string) => `/v1/units/${encodeURIComponent(externalId)}`;
  const bookingPath = (id: string) => `/v1/keycafe/bookings/${encodeURIComponent(id)}`;

  return {
    session: () => request(widgetSessionSchema, 'GET', '/v1/session'),

    /** The booking dialog's API, limited to what the session's actions allow. */
    keycafe(session: WidgetSession): KeycafeApi {
      // The API lets a widget token cancel only the bookings it made; tokens are minted per page
      // view, so those are the ones made here (others' bookings get no Cancel button).
      const made = new Set<string>();
      return {
        can: { listBookings: session.actions.includes('keycafe:read'), cancel: session.actions.includes('keycafe:book') },
        mayCancel: (booking) => made.has(booking.id),
        accounts: async () => session.keycafeAccounts,
        searchKeys: ({ search, limit }) => request(keyList, 'GET', '/v1/keycafe/keys', { query: { search, limit } }),
        createBooking: async (input, requestKey) => {
          const booking = await request(keycafeBookingSchema, 'POST', '/v1/keycafe/bookings', { body: input, headers: { 'idempotency-key': requestKey } });
          made.add(booking.id);
          return booking;
        },
        getBooking: (id) => request(keycafeBookingSchema, 'GET', bookingPath(id)),
        listBookings: ({ keyId, recipient, limit }) => request(bookingList, 'GET', '/v1/keycafe/bookings', { query: { keyId, recipient, limit } }),
        cancelBooking: (id) => request(keycafeBookingSchema, 'POST', `${bookingPath(id)}/cancel`),
        retryBooking: (id) => request(keycafeBookingSchema, 'POST', `${bookingPath(id)}/retry`),
      };
    },

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

export type WidgetClient = ReturnType<typeof createWidgetClient>;
