/**
 * The embedded widget: its tokens, actions and session. Part of the shared contract
 * (lib/contract.ts).
 */
import { z } from 'zod';
import { id, isoDateTime, name } from './common.ts';

/** What a widget token may do; each widget route needs one of these (server/widget/scopes.ts). */
export const widgetActions = ['keycafe:book', 'keycafe:read', 'mapping:write', 'mapping:read'] as const;
export const widgetActionSchema = z.enum(widgetActions);
export type WidgetAction = z.infer<typeof widgetActionSchema>;

/** Widget tokens live at most a day: they sit in pages that anyone with access can read. */
export const WIDGET_TOKEN_MAX_TTL_SECONDS = 24 * 3600;

/** An embedding page's origin, exactly `scheme://host[:port]` (no path, no wildcard). */
export const widgetOriginSchema = z
  .string()
  .trim()
  .max(300)
  .refine((o) => {
    try {
      const u = new URL(o);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
    } catch {
      return false;
    }
  }, 'Use an origin like https://manager.example.com (scheme, host and port only)');

/** POST /v1/widget-tokens */
export const widgetTokenInput = z.object({
  origins: z.array(widgetOriginSchema).min(1, 'At least one origin').max(20, 'At most 20 origins'),
  actions: z
    .array(widgetActionSchema)
    .min(1, 'At least one action')
    .refine((a) => new Set(a).size === a.length, 'Each action once'),
  ttlSeconds: z.number().int().min(60, 'At least 60 seconds').max(WIDGET_TOKEN_MAX_TTL_SECONDS, 'At most 24 hours (86400 seconds)').default(3600),
});
export type WidgetTokenInput = z.input<typeof widgetTokenInput>;

export const widgetTokenSchema = z.object({
  token: z.string(),
  organizationId: id,
  origins: z.array(z.string()),
  actions: z.array(widgetActionSchema),
  issuedAt: isoDateTime,
  expiresAt: isoDateTime,
});
export type WidgetToken = z.infer<typeof widgetTokenSchema>;

/** GET /widget/v1/session: what the widget may do, for whom, until when. */
export const widgetSessionSchema = z.object({
  organization: z.object({ name: z.string() }),
  origin: z.string(),
  actions: z.array(widgetActionSchema),
  expiresAt: isoDateTime,
  /** Locations with a Keycafe account (for "apply to all keys"); empty without a keycafe action. */
  keycafeAccounts: z.array(z.object({ id, name: z.string() })),
});
export type WidgetSession = z.infer<typeof widgetSessionSchema>;
