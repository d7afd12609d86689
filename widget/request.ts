/**
 * The widget's only network caller: the sync API's /widget routes with the page's widget
 * token. Answers are parsed with the shared contract; failures become KeycafeApiErrors with a
 * sentence for the page's visitor and the API's field errors. Each view builds its client on
 * this (widget/keycafe-client.ts, widget/map-client.ts); the contract is imported by area, not
 * through lib/contract.ts, so that a view's chunk carries only its area's schemas (the map view
 * none of Keycafe's phone rules).
 */
import type { z } from 'zod';
import { KeycafeApiError } from '../components/keycafe/api.ts';
import { MappingConflictError } from '../components/mapping/api.ts';
import type { Translate } from '../components/ui-context.ts';
import { errorBodySchema } from '../lib/contract/common.ts';
import { mappingConflictSchema } from '../lib/contract/mapping.ts';
import { widgetSessionSchema } from '../lib/contract/widget.ts';

export interface WidgetClientOptions {
  /** The sync API's base URL (the `api` attribute). */
  apiUrl: string;
  token: string;
  lang: string;
  t: Translate;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

export type WidgetRequest = <S extends z.ZodType>(
  schema: S | null,
  method: string,
  path: string,
  opts?: { query?: Query; body?: unknown; headers?: Record<string, string> },
) => Promise<z.infer<S>>;

export function createWidgetRequest({ apiUrl, token, lang, t, fetch: doFetch = globalThis.fetch.bind(globalThis) }: WidgetClientOptions): WidgetRequest {
  const base = `${apiUrl.replace(/\/+$/, '')}/widget`;

  return async function request<S extends z.ZodType>(schema: S | null, method: string, path: string, opts: { query?: Query; body?: unknown; headers?: Record<string, string> } = {}): Promise<z.infer<S>> {
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
  };
}

/** What the page's token allows, for whom, until when (both views start with it). */
export const sessionOf = (request: WidgetRequest) => () => request(widgetSessionSchema, 'GET', '/v1/session');
