/**
 * The server's configuration, read from the environment once at start (server/main.ts,
 * sandbox/dev.ts, or startServer for a test that passes an `env`) and handed down as values:
 * AppDeps carries the provider settings, nothing below reads `process.env`. A bad value stops
 * the start with the variable's name and what it must be, instead of being ignored.
 *
 * Environment (all optional; an empty variable counts as unset):
 *   PORT, HOST, ACCESSBRIDGE_DATA_DIR, DATABASE_URL, ACCESSBRIDGE_SECRET_KEY,
 *   ACCESSBRIDGE_CORS_ORIGINS, ACCESSBRIDGE_OUTBOX_LEASE_MS   see server/serve.ts
 *   ACCESSBRIDGE_OUTBOX_CONCURRENCY          jobs run at once by this process (server/outbox/outbox.ts)
 *   TAPKEY_TOKEN_URL, TAPKEY_API_URL         Tapkey's addresses (default: the real service)
 *   TAPKEY_TIMEOUT_MS, TAPKEY_RETRIES, TAPKEY_LEASE_MS, TAPKEY_REVOKE_CHECK_MS
 *   TAPKEY_APP_STORE_URL, TAPKEY_PLAY_STORE_URL   store links in the "access ready" notice
 *   KEYCAFE_API_URL, KEYCAFE_TIMEOUT_MS      Keycafe's API base and request timeout
 *   BOOKINGS_STALE_DAYS                      days without a report before a booking is stale (14)
 */
import { z } from 'zod';
import { parseCorsOrigins } from './cors.ts';
import type { KeycafeServiceOptions } from './keycafe/service.ts';
import type { TapkeyDeps } from './tapkey/config.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** Base64 32-byte key for provider secrets; without it, <dataDir>/secret.key (server/secrets.ts). */
  secretKey?: string;
  corsOrigins: string[];
  outboxLeaseMs?: number;
  outboxConcurrency?: number;
  /** Only what the environment sets; server/tapkey/config.ts has the defaults. */
  tapkey: TapkeyDeps;
  keycafe: Pick<KeycafeServiceOptions, 'apiUrl' | 'timeoutMs'>;
  bookings: { staleDays?: number };
}

export class ConfigError extends Error {}

/** An empty variable counts as unset. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A text the check accepts, else an issue naming the variable and what it must be. */
function checked<T>(name: string, must: string, parse: (v: string) => T | undefined) {
  return optional(
    z.string().transform((v, ctx) => {
      const out = parse(v);
      if (out === undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must be ${must}, got "${v}"` });
        return z.NEVER;
      }
      return out;
    }),
  );
}

const wholeNumber = (name: string, must = 'a whole number', max = Number.MAX_SAFE_INTEGER) =>
  checked(name, must, (v) => (/^\d+$/.test(v) && Number(v) <= max ? Number(v) : undefined));
const positive = (name: string) => checked(name, 'a number of milliseconds above 0', (v) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : undefined));
const url = (name: string) =>
  checked(name, 'an http(s) URL', (v) => {
    try {
      return /^https?:$/.test(new URL(v).protocol) ? v : undefined;
    } catch {
      return undefined;
    }
  });

const envSchema = z.object({
  PORT: checked('PORT', 'a port number', (v) => (Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 65535 ? Number(v) : undefined)),
  HOST: optional(z.string()),
  ACCESSBRIDGE_DATA_DIR: optional(z.string()),
  DATABASE_URL: optional(z.string()),
  ACCESSBRIDGE_SECRET_KEY: optional(z.string()),
  ACCESSBRIDGE_CORS_ORIGINS: checked('ACCESSBRIDGE_CORS_ORIGINS', 'comma-separated origins', (v) => v),
  ACCESSBRIDGE_OUTBOX_LEASE_MS: positive('ACCESSBRIDGE_OUTBOX_LEASE_MS'),
  ACCESSBRIDGE_OUTBOX_CONCURRENCY: checked('ACCESSBRIDGE_OUTBOX_CONCURRENCY', 'a whole number from 1 to 256', (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 256 ? Number(v) : undefined)),
  TAPKEY_TOKEN_URL: url('TAPKEY_TOKEN_URL'),
  TAPKEY_API_URL: url('TAPKEY_API_URL'),
  TAPKEY_TIMEOUT_MS: wholeNumber('TAPKEY_TIMEOUT_MS', 'a whole number of milliseconds'),
  TAPKEY_RETRIES: wholeNumber('TAPKEY_RETRIES'),
  TAPKEY_LEASE_MS: wholeNumber('TAPKEY_LEASE_MS', 'a whole number of milliseconds'),
  TAPKEY_REVOKE_CHECK_MS: wholeNumber('TAPKEY_REVOKE_CHECK_MS', 'a whole number of milliseconds'),
  TAPKEY_APP_STORE_URL: url('TAPKEY_APP_STORE_URL'),
  TAPKEY_PLAY_STORE_URL: url('TAPKEY_PLAY_STORE_URL'),
  KEYCAFE_API_URL: url('KEYCAFE_API_URL'),
  KEYCAFE_TIMEOUT_MS: positive('KEYCAFE_TIMEOUT_MS'),
  BOOKINGS_STALE_DAYS: wholeNumber('BOOKINGS_STALE_DAYS', 'a whole number of days up to 9999', 9999),
});

/** Leaves out what is not set, so `{ ...defaults, ...set }` keeps the defaults. */
export const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join('; '));
  const e = parsed.data;
  let corsOrigins: string[];
  try {
    corsOrigins = parseCorsOrigins(e.ACCESSBRIDGE_CORS_ORIGINS);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return {
    port: e.PORT ?? 8787,
    host: e.HOST ?? '127.0.0.1',
    dataDir: e.ACCESSBRIDGE_DATA_DIR ?? '.data',
    databaseUrl: e.DATABASE_URL,
    secretKey: e.ACCESSBRIDGE_SECRET_KEY,
    corsOrigins,
    outboxLeaseMs: e.ACCESSBRIDGE_OUTBOX_LEASE_MS,
    outboxConcurrency: e.ACCESSBRIDGE_OUTBOX_CONCURRENCY,
    tapkey: defined({
      tokenUrl: e.TAPKEY_TOKEN_URL,
      apiUrl: e.TAPKEY_API_URL,
      timeoutMs: e.TAPKEY_TIMEOUT_MS,
      retries: e.TAPKEY_RETRIES,
      leaseMs: e.TAPKEY_LEASE_MS,
      revokeCheckMs: e.TAPKEY_REVOKE_CHECK_MS,
      appStoreUrl: e.TAPKEY_APP_STORE_URL,
      playStoreUrl: e.TAPKEY_PLAY_STORE_URL,
    }),
    keycafe: defined({ apiUrl: e.KEYCAFE_API_URL, timeoutMs: e.KEYCAFE_TIMEOUT_MS }),
    bookings: defined({ staleDays: e.BOOKINGS_STALE_DAYS }),
  };
}
