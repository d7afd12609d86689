/**
 * The Hono environment of the API, declared once: what the host process hands the app
 * (`AppDeps`) and what middleware puts on the context (`AppEnv`). Types only, so any server
 * module can import them without importing the app (and every route) in turn.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from './db/client.ts';
import type { TapkeyDeps } from './tapkey/config.ts';
import type { KeycafeService } from './keycafe/service.ts';

/** What the API needs from its host process. Areas add their optional fields here. */
export interface AppDeps {
  database: Database;
  /** Encrypts provider secrets at rest (see server/secrets.ts). */
  secretKey: Buffer;
  /** Origins allowed by CORS besides browser extensions (widget embedding pages). */
  corsOrigins?: string[];
  version?: string;
  /**
   * More areas, mounted before the API reference is built so they are documented (the sandbox
   * dev entry adds its discovery route this way; the production server has none).
   */
  extraRoutes?: OpenAPIHono<AppEnv>[];
  /** Wakes the outbox worker right after a job was enqueued (instead of at its next poll). */
  kickOutbox?: () => void;
  /** Tapkey base URLs, timeouts and app links (from the configuration, server/config.ts; unset: the real service). */
  tapkey?: TapkeyDeps;
  /** Keycafe connector (API URL, clock, per-account rate limits); unset: the real Keycafe. */
  keycafe?: KeycafeService;
  /** Bookings not reported by any intake for this many days are flagged stale (default 14; BOOKINGS_STALE_DAYS via server/config.ts). */
  bookings?: { staleDays?: number };
  /** The widget bundle served at /widget.js (default: .output/widget/accessbridge-widget.js). */
  widget?: { scriptPath?: string };
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** Set by the auth middleware on /v1 routes. */
    organizationId: string;
    actor: string;
    tokenName: string;
  };
};

