/**
 * Sandbox Keycafe API v0, answering in the shapes of Keycafe's public reference
 * (docs.keycafe.com/reference; every behaviour and its source in SOURCES.md): Basic auth with
 * `{email}/token:{token}` or `{email}/key:{key}`, keys and locations 50 a page with a `Link`
 * header, locations with lower-case `timezone` and an address object, the public directory of
 * locations, accesses created, listed (documented filters only) and cancelled, name-only
 * accesses without `user`, the `{error: {errorId, errorMessage}, fieldErrors}` body, the
 * 60-requests-a-minute limit with its one-minute 429 lockout, a controllable clock, fault
 * injection and a record of every call, access and visitor notification.
 *
 * Where the documentation is silent the sandbox has two modes (`mode`, or KEYCAFE_SANDBOX_MODE):
 * `strict` answers the least a client may rely on, `lenient` the friendliest reading; the
 * connector's tests run against both.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveFake } from '../shared/serve.ts';
import { CallLog, type CallRecord } from './calls.ts';
import { ControllableClock } from './clock.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, formatAddress, publicDirectoryLocations, type SeedLocation } from './data.ts';
import { KeycafeFaults, type KeycafeFaultKind, type PickedFault } from './faults.ts';
import { SandboxState, type SandboxAccess, type SandboxAccount, type SandboxAccountInit } from './state.ts';

/** How the sandbox answers where Keycafe's documentation is silent (SOURCES.md). */
export type KeycafeSandboxMode = 'strict' | 'lenient';

export const keycafeSandboxModeOf = (env: NodeJS.ProcessEnv = process.env): KeycafeSandboxMode => (env.KEYCAFE_SANDBOX_MODE === 'lenient' ? 'lenient' : 'strict');

export interface KeycafeSandboxOptions {
  /** Default: KEYCAFE_SANDBOX_MODE, else strict. */
  mode?: KeycafeSandboxMode;
  host?: string;
  port?: number;
  /** Shared with the connector in tests; else a new clock at `speed`. */
  clock?: ControllableClock;
  speed?: number;
  /** Default: the demo account (data.ts). */
  accounts?: SandboxAccountInit[];
  /** Requests per window per account before the lockout (Keycafe: 60 a minute). */
  rateLimit?: { limit?: number; windowMs?: number; lockoutMs?: number };
  pageSize?: number;
  /** Seeds random faults, so a benchmark run can be repeated. */
  seed?: number;
}

export interface KeycafeSandbox {
  /** API base, to use as KEYCAFE_API_URL: `http://127.0.0.1:port/v0/`. */
  url: string;
  origin: string;
  mode: KeycafeSandboxMode;
  state: SandboxState;
  faults: KeycafeFaults;
  clock: ControllableClock;
  calls: CallLog;
  /** How often an account went over the limit by itself (injected lockouts and 429s not counted). */
  stats: { limitTrips: number };
  close(): Promise<void>;
}

const LOCALES = ['en', 'fr', 'ja', 'es', 'nl', 'it', 'pt'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MOBILE = /^\d{8,15}$/;

class KeycafeFailure {
  constructor(
    readonly status: number,
    readonly errorId: string,
    readonly errorMessage: string,
    readonly fieldErrors: { field: string; errorMessage: string }[] = [],
    readonly headers: Record<string, string> = {},
  ) {}
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  html?: string;
}

const realDate = (d: string) => {
  if (!DATE.test(d)) return false;
  const [y, m, day] = d.split('-').map(Number);
  const t = new Date(Date.UTC(y!, m! - 1, day!));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m! - 1 && t.getUTCDate() === day;
};

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startKeycafeSandbox(opts: KeycafeSandboxOptions = {}): Promise<KeycafeSandbox> {
  const clock = opts.clock ?? new ControllableClock({ speed: opts.speed ?? 1 });
  const limit = opts.rateLimit?.limit ?? 60;
  const windowMs = opts.rateLimit?.windowMs ?? 60_000;
  const lockoutMs = opts.rateLimit?.lockoutMs ?? 60_000;
  const pageSize = opts.pageSize ?? 50;
  const mode = opts.mode ?? keycafeSandboxModeOf();
  const strict = mode === 'strict';
  const directory = publicDirectoryLocations();
  const state = new SandboxState();
  for (const a of opts.accounts ?? [{ email: DEMO_KEYCAFE_EMAIL, token: DEMO_KEYCAFE_TOKEN }]) state.addAccount(a);
  const calls = new CallLog();
  const stats = { limitTrips: 0 };
  const faults = new KeycafeFaults(opts.seed ?? 1, (ms, email) => {
    for (const a of email ? [state.account(email)] : state.accounts.values()) a.lockedUntil = clock.now() + ms;
  });
  let origin = '';

  function authenticate(req: IncomingMessage): SandboxAccount {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const kind = /\/(token|key)$/.exec(user)?.[1];
    const email = kind ? user.slice(0, -(kind.length + 1)).toLowerCase() : null;
    const account = email ? state.accounts.get(email) : undefined;
    const secret = kind === 'token' ? account?.token : account?.apiKey;
    // Documented body: `{"error": {"errorId": "unauthorized", "errorMessage": "Unauthorized"}}`
    // (keycafe.com/docs/public-api); the status is not documented: strict 400 (Keycafe's usual
    // error status), lenient 401.
    if (colon < 0 || !account || !secret || secret !== password) throw new KeycafeFailure(strict ? 400 : 401, 'unauthorized', 'Unauthorized');
    return account;
  }

  /** Sliding window per account; past the limit every call answers 429 for a minute (assumed: calls during the lockout do not extend it). */
  function rateLimit(account: SandboxAccount) {
    const now = clock.now();
    if (account.lockedUntil > now) throw tooMany(account.lockedUntil - now);
    account.window = account.window.filter((t) => t > now - windowMs);
    if (account.window.length >= limit) {
      stats.limitTrips++;
      account.lockedUntil = now + lockoutMs;
      throw tooMany(lockoutMs);
    }
    account.window.push(now);
  }

  const tooMany = (ms: number) =>
    new KeycafeFailure(429, 'rate.limited', `Rate limit of ${limit} requests per minute exceeded`, [], { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) });

  function page<T>(items: T[], url: URL): Answer {
    const p = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const slice = items.slice((p - 1) * pageSize, p * pageSize);
    const headers: Record<string, string> = {};
    if (p * pageSize < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(p + 1));
      headers.link = `<${origin}${next.pathname}${next.search}>; rel="next"`;
    }
    return { status: 200, body: slice, headers };
  }

  /** The documented location shape: lower-case `timezone`, `address` an object (webhook-notifications). */
  const locationJson = (l: SeedLocation) => ({ id: l.id, name: l.name, timezone: l.timeZone, address: { ...l.address } });

  const keyJson = (account: SandboxAccount, id: number) => {
    const k = account.keys.get(id)!;
    const home = account.locations.get(k.homeLocationId);
    return {
      id: k.id,
      name: k.name,
      serialNumber: k.serialNumber,
      description: k.description,
      // key-object documents homeLocation only as "object": strict sends id and name only.
      homeLocation: home ? (strict ? { id: home.id, name: home.name } : locationJson(home)) : null,
    };
  };

  const accessJson = (account: SandboxAccount, a: SandboxAccess) => {
    const key = account.keys.get(a.keyId);
    const user = a.userId === null ? null : account.users.get(a.userId)!;
    const scheduled = a.accessStartDate !== null;
    return {
      id: a.id,
      bookingCode: a.bookingCode,
      // access-object: checkinLink is "Returned only for scheduled accesses".
      ...(scheduled ? { checkinLink: `${origin}/checkin/${a.checkinToken}` } : {}),
      // Not a documented field: only the lenient mode says whether an access is cancelled.
      ...(strict ? {} : { status: a.deletedAt === null ? 'ACTIVE' : 'CANCELLED' }),
      key: { id: a.keyId, name: key?.name ?? null, serialNumber: key?.serialNumber ?? null },
      // Name-only accesses have no user at all.
      ...(user ? { user: { id: user.id, email: user.email, mobile: user.mobile } } : {}),
      accessStartDate: a.accessStartDate,
      accessStartTime: a.accessStartTime,
      accessEndDate: a.accessEndDate,
      accessEndTime: a.accessEndTime,
      timeZone: a.timeZone,
      name: a.name,
      returnReminder: a.returnReminder,
      suppressGuestNotifications: a.suppressGuestNotifications,
      locale: a.locale,
      allowSetup: a.allowSetup,
      createdAt: new Date(a.createdAt).toISOString(),
    };
  };

  function createAccess(account: SandboxAccount, body: unknown): Answer {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new KeycafeFailure(400, 'validation.failed', 'The body must be a JSON object');
    const b = body as Record<string, unknown>;
    const errors: { field: string; errorMessage: string }[] = [];
    const err = (field: string, errorMessage: string) => errors.push({ field, errorMessage });

    const user = b.user as Record<string, unknown> | undefined;
    let userRef: { id?: number; email?: string; mobile?: string } | null = null;
    // create-access: `name` is "Required if no user information is specified".
    const nameOnly = (user === undefined || user === null) && typeof b.name === 'string' && b.name.trim() !== '';
    if (nameOnly) userRef = null;
    else if (!user || typeof user !== 'object') err('user', 'A user (id, email or mobile) is required');
    else {
      const given = ['id', 'email', 'mobile'].filter((f) => user[f] !== undefined && user[f] !== null);
      if (given.length !== 1) err('user', 'Give exactly one of user id, email or mobile');
      else if (given[0] === 'email') {
        if (typeof user.email !== 'string' || !EMAIL.test(user.email)) err('user.email', 'Invalid email address');
        else userRef = { email: user.email };
      } else if (given[0] === 'mobile') {
        if (typeof user.mobile !== 'string' || !MOBILE.test(user.mobile)) err('user.mobile', 'Mobile must be digits including the country code, e.g. 16042656073');
        else userRef = { mobile: user.mobile };
      } else if (!account.users.has(Number(user.id))) err('user.id', 'User not found');
      else userRef = { id: Number(user.id) };
    }

    const keyRef = b.key as Record<string, unknown> | undefined;
    let key = undefined as ReturnType<SandboxAccount['findKey']>;
    if (!keyRef || typeof keyRef !== 'object' || (keyRef.id === undefined && keyRef.serialNumber === undefined)) err('key', 'A key (id or serialNumber) is required');
    else {
      key = account.findKey(keyRef);
      if (!key) err(keyRef.id !== undefined ? 'key.id' : 'key.serialNumber', 'Key not found');
    }

    const dateFields = ['accessStartDate', 'accessStartTime', 'accessEndDate', 'accessEndTime'] as const;
    const present = dateFields.filter((f) => b[f] !== undefined && b[f] !== null);
    if (present.length > 0 && present.length < 4)
      for (const f of dateFields.filter((f) => !present.includes(f))) err(f, 'Give start and end dates and times, or none for an ongoing access');
    for (const f of present) {
      const v = b[f];
      if (typeof v !== 'string' || (f.endsWith('Date') ? !realDate(v) : !TIME.test(v))) err(f, f.endsWith('Date') ? 'Use YYYY-MM-DD' : 'Use HH:MM');
    }
    let timeZone: string | null = null;
    if (b.timeZone !== undefined && b.timeZone !== null) {
      if (typeof b.timeZone !== 'string' || !validZone(b.timeZone)) err('timeZone', 'Unknown time zone');
      else timeZone = b.timeZone;
    }
    if (present.length === 4 && errors.length === 0) {
      const start = `${b.accessStartDate} ${b.accessStartTime}`;
      const end = `${b.accessEndDate} ${b.accessEndTime}`;
      if (end <= start) err('accessEndDate', 'Access end must be after access start');
    }
    const locale = b.locale ?? 'en';
    if (typeof locale !== 'string' || !LOCALES.includes(locale)) err('locale', `Locale must be one of ${LOCALES.join(', ')}`);
    if (b.name !== undefined && b.name !== null && (typeof b.name !== 'string' || b.name.length > 255)) err('name', 'Name must be text of at most 255 characters');
    for (const f of ['returnReminder', 'suppressGuestNotifications', 'allowSetup'])
      if (b[f] !== undefined && typeof b[f] !== 'boolean') err(f, 'Must be true or false');

    if (errors.length || (!userRef && !nameOnly) || !key) throw new KeycafeFailure(400, 'validation.failed', 'The access is not valid', errors);
    const u = !userRef ? null : userRef.id !== undefined ? account.users.get(userRef.id)! : state.userFor(account, userRef);
    const ongoing = present.length === 0;
    const access = state.createAccess(account, {
      keyId: key.id,
      userId: u?.id ?? null,
      accessStartDate: ongoing ? null : (b.accessStartDate as string),
      accessStartTime: ongoing ? null : (b.accessStartTime as string),
      accessEndDate: ongoing ? null : (b.accessEndDate as string),
      accessEndTime: ongoing ? null : (b.accessEndTime as string),
      timeZone: ongoing ? null : (timeZone ?? account.locations.get(key.homeLocationId)?.timeZone ?? 'UTC'),
      name: (b.name as string | undefined) ?? null,
      returnReminder: (b.returnReminder as boolean | undefined) ?? false,
      suppressGuestNotifications: (b.suppressGuestNotifications as boolean | undefined) ?? false,
      locale: locale as string,
      allowSetup: (b.allowSetup as boolean | undefined) ?? false,
      createdAt: clock.now(),
    });
    // Keycafe sends the visitor the access instructions unless suppressed (create-access).
    if (u && !access.suppressGuestNotifications)
      account.notifications.push({ accessId: access.id, keyId: access.keyId, to: u.email ?? u.mobile!, channel: u.email ? 'email' : 'sms', at: clock.now() });
    return { status: 200, body: accessJson(account, access) };
  }

  function route(req: IncomingMessage, url: URL, account: SandboxAccount, body: unknown): Answer {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/v0/key' && method === 'GET') {
      const q = (url.searchParams.get('query') ?? '').trim().toLowerCase();
      const keys = [...account.keys.values()].filter((k) => !q || k.name.toLowerCase().includes(q) || k.serialNumber.toLowerCase().includes(q));
      return page(keys.map((k) => keyJson(account, k.id)), url);
    }
    const keyMatch = /^\/v0\/key\/(\d+)$/.exec(path);
    if (keyMatch && method === 'GET') {
      if (!account.keys.has(Number(keyMatch[1]))) throw new KeycafeFailure(404, 'key.notFound', 'Key not found');
      return { status: 200, body: keyJson(account, Number(keyMatch[1])) };
    }
    if (path === '/v0/location' && method === 'GET') {
      // search-locations: no filter lists every location (the public directory); `query` matches
      // name or address; `access=true` only those where the caller has an access.
      const q = (url.searchParams.get('query') ?? '').trim().toLowerCase();
      let list: SeedLocation[] = [...directory, ...[...state.accounts.values()].flatMap((a) => [...a.locations.values()])];
      if (url.searchParams.get('access') === 'true') {
        const mine = new Set(
          [...state.accounts.values()].flatMap((other) =>
            other
              .liveAccesses()
              .filter((a) => a.userId !== null && other.users.get(a.userId)?.email === account.email)
              .map((a) => other.keys.get(a.keyId)?.homeLocationId),
          ),
        );
        list = list.filter((l) => mine.has(l.id));
      }
      if (q) list = list.filter((l) => l.name.toLowerCase().includes(q) || formatAddress(l.address).toLowerCase().includes(q));
      return page(list.map(locationJson), url);
    }
    const locationMatch = /^\/v0\/location\/(\d+)$/.exec(path);
    if (locationMatch && method === 'GET') {
      const id = Number(locationMatch[1]);
      const l = [...state.accounts.values()].map((a) => a.locations.get(id)).find(Boolean) ?? directory.find((d) => d.id === id);
      if (!l) throw new KeycafeFailure(404, 'location.notFound', 'Location not found');
      return { status: 200, body: locationJson(l) };
    }
    if (path === '/v0/access' && method === 'POST') return createAccess(account, body);
    if (path === '/v0/access' && method === 'GET') {
      // search-accesses: `key` and `user` are IDs; `query` matches the guest's name, email or
      // mobile and the key's name or serial number; `organization` is accepted (one organization here).
      const keyParam = url.searchParams.get('key');
      const userParam = url.searchParams.get('user');
      const q = (url.searchParams.get('query') ?? '').trim().toLowerCase();
      if (userParam !== null && !/^\d+$/.test(userParam)) {
        // Not documented: strict refuses a user that is not an ID, lenient finds nothing.
        if (strict) throw new KeycafeFailure(400, 'validation.failed', 'The access search is not valid', [{ field: 'user', errorMessage: 'Invalid user ID' }]);
        return page([], url);
      }
      const list = account
        .liveAccesses()
        .filter((a) => !keyParam || String(a.keyId) === keyParam || (!strict && account.keys.get(a.keyId)?.serialNumber === keyParam))
        .filter((a) => !userParam || String(a.userId) === userParam)
        .filter((a) => {
          if (!q) return true;
          const u = a.userId === null ? null : account.users.get(a.userId);
          const k = account.keys.get(a.keyId);
          return [a.name, u?.email, u?.mobile, k?.name, k?.serialNumber].some((v) => !!v && v.toLowerCase().includes(q.replace(/^\+/, '')));
        });
      return page(list.map((a) => accessJson(account, a)), url);
    }
    const accessMatch = /^\/v0\/access\/(\d+)$/.exec(path);
    if (accessMatch) {
      const access = account.accesses.get(Number(accessMatch[1]));
      if (!access) throw new KeycafeFailure(404, 'access.notFound', 'Access not found');
      const cancelled = access.deletedAt !== null;
      if (method === 'GET') {
        // Not documented for a cancelled access: strict answers 404, lenient lists it with status CANCELLED.
        if (cancelled && strict) throw new KeycafeFailure(404, 'access.notFound', 'Access not found');
        return { status: 200, body: accessJson(account, access) };
      }
      if (method === 'DELETE') {
        // Not documented for an access cancelled already: strict 400 with an errorId, lenient 404.
        if (cancelled) throw strict ? new KeycafeFailure(400, 'access.cancelled', 'This access has already been cancelled') : new KeycafeFailure(404, 'access.notFound', 'Access not found');
        access.deletedAt = clock.now();
        // "Successful responses will have status code 200" (authentication).
        return { status: 200, body: accessJson(account, access) };
      }
      throw new KeycafeFailure(405, 'method.notAllowed', 'The specified HTTP method is not supported by this endpoint.');
    }
    throw new KeycafeFailure(404, 'operation.notFound', `No endpoint ${method} ${path}`);
  }

  /** The visitor's check-in page behind `checkinLink` (no auth, as a link sent by SMS). */
  function checkinPage(token: string): Answer {
    for (const account of state.accounts.values())
      for (const a of account.accesses.values())
        if (a.checkinToken === token) {
          const key = account.keys.get(a.keyId);
          const loc = key ? account.locations.get(key.homeLocationId) : undefined;
          const address = loc ? formatAddress(loc.address) : '';
          const when = a.accessStartDate ? `${a.accessStartDate} ${a.accessStartTime} – ${a.accessEndDate} ${a.accessEndTime} (${a.timeZone})` : 'Ongoing';
          const status = a.deletedAt === null ? 'Active' : 'Cancelled';
          return {
            status: 200,
            html: `<!doctype html><meta charset="utf-8"><title>Keycafe check-in</title><h1>Booking code ${escapeHtml(a.bookingCode)}</h1><p>${escapeHtml(key?.name ?? '')}</p><p>${escapeHtml(loc?.name ?? '')}, ${escapeHtml(address)}</p><p>${escapeHtml(when)}</p><p>${status}</p>`,
          };
        }
    return { status: 404, html: '<!doctype html><title>Not found</title><p>Unknown check-in link</p>' };
  }

  const send = (res: ServerResponse, answer: Answer) => {
    if (res.destroyed) return;
    if (answer.html !== undefined) {
      res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', ...answer.headers });
      res.end(answer.html);
    } else if (answer.body === undefined) {
      res.writeHead(answer.status, answer.headers ?? {});
      res.end();
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    }
  };

  const failureAnswer = (f: KeycafeFailure): Answer => ({
    status: f.status,
    headers: f.headers,
    body: { error: { errorId: f.errorId, errorMessage: f.errorMessage }, fieldErrors: f.fieldErrors },
  });

  /** Applies a fault; resolves to true when it took over the answer. */
  async function applyFault(fault: PickedFault<KeycafeFaultKind>, req: IncomingMessage, res: ServerResponse, record: CallRecord): Promise<boolean> {
    record.fault = `${fault.kind}:${fault.after ? 'after' : 'before'}`;
    switch (fault.kind) {
      case 'rate_limit':
        record.status = 429;
        send(res, failureAnswer(tooMany((fault.retryAfterSeconds ?? 60) * 1000)));
        return true;
      case 'status':
        record.status = fault.status ?? 500;
        send(res, failureAnswer(new KeycafeFailure(record.status, 'error.unknown', 'An unexpected error has prevented the request from completing.')));
        return true;
      case 'drop':
        record.status = 'dropped';
        req.socket.destroy();
        return true;
      case 'timeout':
        record.status = 'timeout';
        // Hold the request until the caller gives up (or the sandbox closes).
        await new Promise<void>((resolve) => res.once('close', resolve));
        return true;
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs));
        return false;
    }
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 100_000) throw new KeycafeFailure(413, 'request.tooLarge', 'Request body too large');
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new KeycafeFailure(400, 'request.invalidJson', 'The body is not valid JSON');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const checkin = /^\/checkin\/([\w-]+)$/.exec(url.pathname);
    if (checkin && method === 'GET') return send(res, checkinPage(checkin[1]!));

    const record: CallRecord = { at: clock.now(), method, path: url.pathname, query: url.search, account: null, status: 0, fault: null };
    calls.record(record);
    const fault = faults.take({ method, path: url.pathname });
    try {
      if (fault && !fault.after && (await applyFault(fault, req, res, record))) return;
      const body = await readBody(req);
      const account = authenticate(req);
      record.account = account.email;
      rateLimit(account);
      const answer = route(req, url, account, body);
      if (fault?.after && (await applyFault(fault, req, res, record))) return;
      record.status = answer.status;
      send(res, answer);
    } catch (err) {
      const failure = err instanceof KeycafeFailure ? err : new KeycafeFailure(500, 'error.unknown', (err as Error).message);
      record.status = failure.status;
      send(res, failureAnswer(failure));
    }
  }

  const served = await serveFake((req, res) => void handle(req, res), { host: opts.host, port: opts.port });
  origin = served.url;

  return {
    url: `${origin}/v0/`,
    origin,
    mode,
    state,
    faults,
    clock,
    calls,
    stats,
    close: served.close,
  };
}
