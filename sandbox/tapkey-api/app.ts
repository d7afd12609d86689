/**
 * The fake Tapkey Web API as a Hono app: `POST /connect/token` (login.tapkey.com) and the REST
 * API under `/api/v1` (my.tapkey.com). Documented behaviour (sources: SOURCES.md beside this file):
 * client-credentials token form, bearer auth, PUT to create, bare JSON arrays with OData
 * `$filter`/`$top`/`$skip`, the field names, 401 for an expired token, `POST .../Revoke`.
 * ASSUMED (the docs are silent; kept conservative): the error body `{ErrorCode, Message}`,
 * 409 `Duplicate` for a second active grant, 403 for a missing scope or an owner the client
 * does not administer, 404 for unknown ids, the revoke answer (200 + the grant), accepting PUT
 * for Revoke (one unconfirmed report), case-insensitive paths (the samples use both cases).
 * The points a real connection could read either way are switchable (world.behaviours, see
 * state.ts and SOURCES.md): the grants lock filter, asynchronous revoke, 409 on a repeated
 * revoke, the revoke body, 401 instead of 403 for a missing scope, unordered paging.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ODataError, applyQuery } from './odata.ts';
import { z } from 'zod';
import type { PickedFault } from '../shared/faults.ts';
import { Calls, Faults, endpoints, tapkeyFaultKinds, type Endpoint, type TapkeyFaultKind } from './faults.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, type Grant, type TapkeyWorld } from './state.ts';

type Env = { Bindings: HttpBindings; Variables: { clientId: string; scopes: string[] } };
type C = Context<Env>;

export interface SandboxRuntime {
  world: TapkeyWorld;
  faults: Faults;
  calls: Calls;
  /** Resolves every hung request (on close). */
  hung: Set<() => void>;
}

const tapkeyError = (c: C, status: number, code: string, message: string) =>
  c.json({ ErrorCode: code, Message: message }, status as ContentfulStatusCode);

const oauthError = (c: C, error: string, description: string, status = 400) =>
  c.json({ error, error_description: description }, status as ContentfulStatusCode);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const isIsoDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/** A fault rule over HTTP (sandbox/shared/faults.ts). JSON has no Infinity: a large `times` lasts. */
const faultRuleSchema = z.object({
  kind: z.enum(tapkeyFaultKinds),
  endpoint: z.enum(endpoints).optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  retryAfterSeconds: z.number().min(0).optional(),
  delayMs: z.number().min(0).optional(),
  times: z.number().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  after: z.boolean().optional(),
});

export function createTapkeyApp(rt: SandboxRuntime) {
  const { world, faults, calls } = rt;
  // Paths are matched lower-cased: the official samples call both /Owners/.. and /owners/..
  const app = new Hono<Env>({ getPath: (req) => new URL(req.url).pathname.toLowerCase().replace(/\/+$/, '') || '/' });

  const hang = (c: C) =>
    new Promise<Response>((resolve) => {
      const done = () => resolve(c.body(null, 503));
      rt.hung.add(done);
    });

  const drop = (c: C) => {
    c.env.incoming.socket.destroy();
    return hang(c);
  };

  /** Runs one endpoint with call counting and the fault (if any) that hits it. */
  const handle =
    (endpoint: Endpoint, fn: (c: C) => Response | Promise<Response>) =>
    async (c: C): Promise<Response> => {
      const bearer = /^Bearer (.{6})/i.exec(c.req.header('authorization') ?? '')?.[1];
      const path = new URL(c.req.url).pathname;
      const record = calls.record({ at: Date.now(), method: c.req.method, path, endpoint, status: 0, ...(bearer ? { token: bearer } : {}) });
      const fault = faults.take({ method: c.req.method, path: path.toLowerCase(), endpoint });
      if (fault) record.fault = fault.kind;
      /** The fault's answer; null for `slow`, which only delays the real one. */
      const spoil = async (f: PickedFault<TapkeyFaultKind>): Promise<Response | null> => {
        if (f.kind === 'slow') {
          await sleep(f.delayMs);
          return null;
        }
        if (f.kind === 'timeout') return hang(c);
        if (f.kind === 'drop') return drop(c);
        if (f.kind === 'rate_limit') {
          c.header('Retry-After', String(f.retryAfterSeconds ?? 1));
          return tapkeyError(c, 429, 'TooManyRequests', 'Too many requests');
        }
        if (f.kind === 'expire_token') {
          c.header('WWW-Authenticate', 'Bearer error="invalid_token", error_description="The access token expired"');
          return c.body(null, 401);
        }
        return tapkeyError(c, f.status ?? 500, 'InternalServerError', 'Injected failure');
      };
      let res: Response;
      if (fault && !fault.after) res = (await spoil(fault)) ?? (await fn(c));
      else {
        res = await fn(c);
        if (fault) res = (await spoil(fault)) ?? res;
      }
      record.status = res.status;
      return res;
    };

  // ---------- control routes (not part of Tapkey; for tests and the demo) ----------
  // What a location needs to connect to this fake (the demo's "integrator portal").
  app.get('/_sandbox/credentials', (c) => c.json({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, ownerAccountId: SANDBOX_OWNER_ID }));
  app.get('/_sandbox/calls', (c) => c.json({ total: calls.count(), byEndpoint: calls.byEndpoint() }));
  app.delete('/_sandbox/calls', (c) => {
    calls.clear();
    return c.body(null, 204);
  });
  app.post('/_sandbox/faults', async (c) => {
    const rule = faultRuleSchema.safeParse(await c.req.json().catch(() => null));
    if (!rule.success) return c.json({ error: 'Bad fault rule', issues: rule.error.issues }, 400);
    return c.json({ id: faults.add(rule.data) }, 201);
  });
  app.delete('/_sandbox/faults', (c) => {
    faults.clear();
    return c.body(null, 204);
  });
  app.post('/_sandbox/expire-tokens', (c) => {
    world.expireTokens();
    return c.body(null, 204);
  });
  // Switch the undocumented behaviours (state.ts TapkeyBehaviours), e.g. {"lockFilter":"reject"}.
  app.get('/_sandbox/behaviours', (c) => c.json(world.behaviours));
  app.post('/_sandbox/behaviours', async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    const allowed: Record<string, string[]> = {
      lockFilter: ['accept', 'reject'],
      revoke: ['sync', 'async'],
      repeatRevoke: ['ok', 'conflict'],
      revokeBody: ['optional', 'required'],
      missingScope: ['forbidden', 'unauthorized'],
      unorderedPaging: ['stable', 'shuffled'],
    };
    if (!body || typeof body !== 'object' || Object.entries(body).some(([k, v]) => !allowed[k]?.includes(v as string))) return c.json({ error: 'Bad behaviours', allowed }, 400);
    Object.assign(world.behaviours, body);
    return c.json(world.behaviours);
  });
  // Async revoke: the locks have synced their revocation lists.
  app.post('/_sandbox/complete-revocations', (c) => c.json({ completed: world.completeRevocations() }));

  // ---------- OAuth 2 client credentials [DOC] ----------
  app.post(
    '/connect/token',
    handle('token', async (c) => {
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
        return oauthError(c, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      const form = new URLSearchParams(await c.req.text());
      let clientId = form.get('client_id');
      let clientSecret = form.get('client_secret');
      const basic = /^Basic (.+)$/i.exec(c.req.header('authorization') ?? '');
      if (basic) {
        const [id, secret] = Buffer.from(basic[1]!, 'base64').toString().split(':');
        clientId = decodeURIComponent(id ?? '');
        clientSecret = decodeURIComponent(secret ?? '');
      }
      if (form.get('grant_type') !== 'client_credentials') return oauthError(c, 'unsupported_grant_type', 'Only client_credentials is supported here');
      // ASSUMED IdentityServer-style answers: 400 invalid_client / invalid_scope.
      const client = clientId ? world.clients.get(clientId) : undefined;
      if (!client || !clientSecret || !safeEqual(client.clientSecret, clientSecret)) return oauthError(c, 'invalid_client', 'Unknown client or wrong secret');
      const scope = form.get('scope');
      if (!scope) return oauthError(c, 'invalid_request', 'scope is required');
      const requested = scope.split(/\s+/).filter(Boolean);
      const missing = requested.filter((s) => !client.allowedScopes.includes(s));
      if (missing.length) return oauthError(c, 'invalid_scope', `Scope not allowed for this client: ${missing.join(' ')}`);
      const token = randomBytes(24).toString('base64url');
      world.tokens.set(token, { clientId: client.clientId, scopes: requested, expiresAt: Date.now() + world.tokenLifetimeSeconds * 1000 });
      return c.json({ access_token: token, expires_in: world.tokenLifetimeSeconds, token_type: 'Bearer', scope: requested.join(' ') });
    }),
  );

  // ---------- REST API ----------
  const api = new Hono<Env>({ getPath: (req) => new URL(req.url).pathname.toLowerCase().replace(/\/+$/, '') || '/' });

  /** Bearer token check: missing, unknown or expired → 401 [DOC: 401 also for expired]. */
  api.use('*', async (c, next) => {
    const m = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '');
    const token = m ? world.tokens.get(m[1]!) : undefined;
    if (!token || token.expiresAt <= Date.now()) {
      calls.record({ at: Date.now(), method: c.req.method, path: new URL(c.req.url).pathname, endpoint: 'unknown', status: 401 });
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return c.body(null, 401);
    }
    c.set('clientId', token.clientId);
    c.set('scopes', token.scopes);
    await next();
  });

  const needScope = (c: C, scope: string) => {
    if (c.get('scopes').includes(scope)) return null;
    // "401 for scope": some servers answer a token without the scope like a bad token.
    if (world.behaviours.missingScope === 'unauthorized') {
      c.header('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
      return c.body(null, 401);
    }
    return tapkeyError(c, 403, 'InsufficientScope', `The access token lacks the scope ${scope}`);
  };

  let rotation = 0;

  /** The owner account, if the client's service account is co-admin of it. */
  const ownerFor = (c: C): { ownerId: string } | Response => {
    const ownerId = c.req.param('owner')!.toLowerCase();
    const client = world.clients.get(c.get('clientId'))!;
    if (!world.owners.has(ownerId)) return tapkeyError(c, 404, 'NotFound', 'Owner account not found');
    if (!client.ownerIds.includes(ownerId)) return tapkeyError(c, 403, 'Forbidden', 'Not an administrator of this owner account');
    return { ownerId };
  };

  const listAnswer = (c: C, items: object[]) => {
    try {
      const unordered = world.behaviours.unorderedPaging === 'shuffled' ? () => (rotation += 7) : undefined;
      return c.json(applyQuery(items, c.req.query(), { unordered }));
    } catch (err) {
      if (err instanceof ODataError) return tapkeyError(c, 400, 'BadRequest', err.message);
      throw err;
    }
  };

  const readJson = async (c: C): Promise<Record<string, unknown> | null> => {
    const body = await c.req.json().catch(() => null);
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  };

  api.get(
    '/owners',
    handle('owners.list', (c) => {
      const denied = needScope(c, 'read:owneraccounts');
      if (denied) return denied;
      const client = world.clients.get(c.get('clientId'))!;
      // Not co-admin of anything → an empty list, not an error.
      return listAnswer(c, client.ownerIds.map((id) => world.owners.get(id)).filter((o) => o !== undefined));
    }),
  );

  api.get(
    '/owners/:owner',
    handle('owners.get', (c) => {
      const denied = needScope(c, 'read:owneraccounts');
      if (denied) return denied;
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      return c.json(world.owners.get(o.ownerId));
    }),
  );

  api.get(
    '/owners/:owner/boundlocks',
    handle('boundLocks.list', (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      return needScope(c, 'read:core:entities') ?? listAnswer(c, world.locksOf(o.ownerId));
    }),
  );

  api.get(
    '/owners/:owner/boundlocks/:id',
    handle('boundLocks.get', (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      const denied = needScope(c, 'read:core:entities');
      if (denied) return denied;
      const lock = world.locks.get(c.req.param('id')!);
      return lock && lock.ownerAccountId === o.ownerId ? c.json(lock) : tapkeyError(c, 404, 'NotFound', 'Bound lock not found');
    }),
  );

  api.get(
    '/owners/:owner/contacts',
    handle('contacts.list', (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      return needScope(c, 'read:core:entities') ?? listAnswer(c, world.contactsOf(o.ownerId));
    }),
  );

  api.get(
    '/owners/:owner/contacts/:id',
    handle('contacts.get', (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      const denied = needScope(c, 'read:core:entities');
      if (denied) return denied;
      const contact = world.contacts.get(c.req.param('id')!);
      return contact && contact.ownerId === o.ownerId ? c.json(contact) : tapkeyError(c, 404, 'NotFound', 'Contact not found');
    }),
  );

  api.put(
    '/owners/:owner/contacts',
    handle('contacts.create', async (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      const denied = needScope(c, 'write:core:entities');
      if (denied) return denied;
      const body = await readJson(c);
      const identifier = body?.identifier ?? body?.email;
      if (typeof identifier !== 'string' || !identifier.includes('@')) return tapkeyError(c, 400, 'BadRequest', 'identifier (email) is required');
      const ipId = typeof body?.ipId === 'string' ? body.ipId : 'tapkey';
      return c.json(world.upsertContact(o.ownerId, { ipId, identifier, title: body?.title as string | undefined, comment: body?.comment as string | undefined }));
    }),
  );

  api.get(
    '/owners/:owner/grants',
    handle('grants.list', (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      const denied = needScope(c, 'read:grants');
      if (denied) return denied;
      const filter = c.req.query('$filter') ?? '';
      // "Rejects the lock filter": no public source filters grants on boundLockId.
      if (world.behaviours.lockFilter === 'reject' && /boundLockId/i.test(filter))
        return tapkeyError(c, 400, 'BadRequest', 'The query specified in the URI is not valid. Could not find a property named \'boundLockId\' usable in $filter.');
      // Narrow by lock before building the nested views: lists per lock stay cheap at 10,000 grants.
      const byLock = /boundLockId eq '([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
      const grants = world.grantsOf(o.ownerId).filter((g) => !byLock || g.boundLockId === byLock);
      return listAnswer(c, grants.map((g) => world.view(g)));
    }),
  );

  api.get(
    '/owners/:owner/grants/:id',
    handle('grants.get', (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      const denied = needScope(c, 'read:grants');
      if (denied) return denied;
      const grant = world.grants.get(c.req.param('id')!);
      return grant && grant.ownerId === o.ownerId ? c.json(world.view(grant)) : tapkeyError(c, 404, 'NotFound', 'Grant not found');
    }),
  );

  api.put(
    '/owners/:owner/grants',
    handle('grants.create', async (c) => {
      const o = ownerFor(c);
      if (o instanceof Response) return o;
      const denied = needScope(c, 'write:grants');
      if (denied) return denied;
      const body = await readJson(c);
      if (!body) return tapkeyError(c, 400, 'BadRequest', 'A JSON body is required');
      const lockId = typeof body.boundLockId === 'string' ? body.boundLockId.toLowerCase() : null;
      if (!lockId) return tapkeyError(c, 400, 'BadRequest', 'boundLockId is required (card grants are not supported by the sandbox)');
      const lock = world.locks.get(lockId);
      if (!lock || lock.ownerAccountId !== o.ownerId) return tapkeyError(c, 404, 'NotFound', 'Bound lock not found');
      for (const f of ['validFrom', 'validBefore'] as const)
        if (body[f] != null && !isIsoDate(body[f])) return tapkeyError(c, 400, 'BadRequest', `${f} must be an ISO 8601 date-time`);
      const validFrom = (body.validFrom as string | null | undefined) ?? null;
      const validBefore = (body.validBefore as string | null | undefined) ?? null;
      if (validFrom && validBefore && Date.parse(validBefore) <= Date.parse(validFrom)) return tapkeyError(c, 400, 'BadRequest', 'validBefore must be after validFrom');
      // Either an existing contactId [TK-REPO java] or the contact inline by identifier [TK-REPO dotnet].
      let contactId: string;
      if (typeof body.contactId === 'string') {
        const contact = world.contacts.get(body.contactId.toLowerCase());
        if (!contact || contact.ownerId !== o.ownerId) return tapkeyError(c, 404, 'NotFound', 'Contact not found');
        contactId = contact.id;
      } else {
        const inline = body.contact as Record<string, unknown> | undefined;
        const identifier = inline?.identifier ?? inline?.email;
        if (typeof identifier !== 'string' || !identifier.includes('@')) return tapkeyError(c, 400, 'BadRequest', 'contactId or contact.identifier is required');
        contactId = world.upsertContact(o.ownerId, { identifier, ipId: typeof inline?.ipId === 'string' ? inline.ipId : 'tapkey' }).id;
      }
      if (world.duplicateGrants === 'reject') {
        const dup = world.grantsOf(o.ownerId).find((g) => g.active && g.contactId === contactId && g.boundLockId === lockId);
        if (dup) return tapkeyError(c, 409, 'Duplicate', `An active grant for this contact and lock exists (${dup.id})`);
      }
      const grant: Grant = {
        id: randomUUID(),
        ownerId: o.ownerId,
        boundLockId: lockId,
        contactId,
        boundCardId: null,
        validFrom,
        validBefore,
        timeRestrictionIcal: typeof body.timeRestrictionIcal === 'string' ? body.timeRestrictionIcal : null,
        state: 'Ok',
        active: true,
        createdAt: new Date().toISOString(),
      };
      world.grants.set(grant.id, grant);
      return c.json(world.view(grant));
    }),
  );

  const revoke = handle('grants.revoke', async (c) => {
    const o = ownerFor(c);
    if (o instanceof Response) return o;
    const denied = needScope(c, 'write:grants');
    if (denied) return denied;
    const grant = world.grants.get(c.req.param('id')!);
    if (!grant || grant.ownerId !== o.ownerId) return tapkeyError(c, 404, 'NotFound', 'Grant not found');
    // The one public client sends `?dryRun=false` and the JSON body `{ "dryRun": false }` [3P].
    const body = await readJson(c);
    const bodyDryRun = typeof body?.dryRun === 'boolean' ? body.dryRun : undefined;
    if (world.behaviours.revokeBody === 'required' && bodyDryRun === undefined)
      return tapkeyError(c, 400, 'BadRequest', 'The request body must be a JSON object with dryRun (true or false).');
    const dryRun = bodyDryRun ?? c.req.query('dryRun') === 'true';
    // ASSUMED: dryRun=true changes nothing. The real revocation reaches the lock at its next
    // sync [DOC]: in async mode the grant stays active with state 'Revoking' until then.
    if (!dryRun) {
      if (grant.state !== 'Ok') {
        // 409 "desired state is already present" [DOC response codes] for a repeated revoke.
        if (world.behaviours.repeatRevoke === 'conflict') return tapkeyError(c, 409, 'Conflict', 'The desired state is already present.');
      } else world.revoke(grant);
    }
    return c.json(world.view(grant));
  });
  api.post('/owners/:owner/grants/:id/revoke', revoke);
  api.put('/owners/:owner/grants/:id/revoke', revoke);

  api.all('*', (c) => tapkeyError(c, 404, 'NotFound', `No such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));

  app.route('/api/v1', api);
  app.notFound((c) => tapkeyError(c, 404, 'NotFound', 'Not found'));
  return app;
}
