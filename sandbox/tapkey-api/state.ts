/**
 * The fake Tapkey world: OAuth clients, owner accounts (locking systems), bound locks, contacts
 * and grants, seeded from the shared demo data so the locks here are the ones the demo portal
 * and the demo manager show. Field names and shapes follow developers.tapkey.io [DOC]; what the
 * docs leave open is marked ASSUMED where it is decided.
 */
import { createHash, randomUUID } from 'node:crypto';
import { demoLocks, demoUnits, stableUuid, type DemoLock } from '../demo-data.ts';

export const ALL_SCOPES = [
  'read:owneraccounts',
  'write:owneraccounts',
  'read:core:entities',
  'write:core:entities',
  'read:grants',
  'write:grants',
  'read:logs',
] as const;

/** The sandbox's demo credentials (`npm start` connects the demo location with these). */
export const SANDBOX_CLIENT_ID = 'accessbridge-sandbox';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret-change-me';
export const SANDBOX_OWNER_ID = stableUuid('tapkey-owner:demo').toLowerCase();

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  /** Scopes the client was given in the integrator portal (ReadOnly/ReadAndWrite choices). */
  allowedScopes: string[];
  /** Owner accounts whose co-admin the client's service account is. */
  ownerIds: string[];
}

export interface Owner {
  id: string;
  name: string;
  active: boolean;
}

export interface BoundLock {
  id: string;
  ownerAccountId: string;
  title: string;
  description: string | null;
  active: boolean;
  bindDate: string;
  unbindDate: string | null;
  physicalLockId: string;
  lockTypeId: string;
  lockType: { id: string; manufacturerId: number; modelName: string; supportedTechnologies: string[] };
  targetType: 'Lock';
  rclSerialNo: number;
  rclDate: string | null;
  lastSeenRclSerialNo: number | null;
  lastSeenRclUpdateDate: string | null;
  healthStatuses: null;
  membershipStatistics: null;
  supportedFeatures: null;
}

export interface Contact {
  id: string;
  ownerId: string;
  ipId: string;
  identifier: string;
  /** Deprecated alias of identifier, still returned [DOC]. */
  email: string;
  title: string | null;
  comment: string | null;
}

export interface Grant {
  id: string;
  ownerId: string;
  boundLockId: string;
  /** null for a card grant (an NFC card bound to the lock: `contact: null`, `boundCardId`) [DOC example]. */
  contactId: string | null;
  boundCardId: string | null;
  validFrom: string | null;
  validBefore: string | null;
  timeRestrictionIcal: string | null;
  /**
   * 'Ok' and 'Revoked' are the documented values [DOC example]. 'Revoking' is ASSUMED: the docs
   * say revocation is asynchronous and `active`/`state` show its progress, without naming the
   * intermediate value; the async behaviour below uses it.
   */
  state: 'Ok' | 'Revoking' | 'Revoked';
  active: boolean;
  createdAt: string;
}

/**
 * What the docs leave open, switchable so tests run the connector against both readings (see
 * sandbox/tapkey-api/SOURCES.md). Defaults are the lenient readings the fake always had.
 */
export interface TapkeyBehaviours {
  /** `boundLockId eq '…'` in a grants `$filter`: accepted, or refused with 400 (no public source uses it). */
  lockFilter: 'accept' | 'reject';
  /** Revoke takes effect at once, or the grant stays active with state 'Revoking' until completed. */
  revoke: 'sync' | 'async';
  /** A revoke of a grant already revoked (or being revoked): 200, or 409 "desired state is already present". */
  repeatRevoke: 'ok' | 'conflict';
  /** The revoke call: query `dryRun=false` suffices, or the JSON body `{ "dryRun": false }` is required. */
  revokeBody: 'optional' | 'required';
  /** A token lacking the scope an endpoint needs: 403, or 401 as for a bad token. */
  missingScope: 'forbidden' | 'unauthorized';
  /** Lists without `$orderby`: stable insertion order, or an order that changes between calls. */
  unorderedPaging: 'stable' | 'shuffled';
}

export const LENIENT_BEHAVIOURS: TapkeyBehaviours = { lockFilter: 'accept', revoke: 'sync', repeatRevoke: 'ok', revokeBody: 'optional', missingScope: 'forbidden', unorderedPaging: 'stable' };
export const STRICT_BEHAVIOURS: TapkeyBehaviours = { lockFilter: 'reject', revoke: 'async', repeatRevoke: 'conflict', revokeBody: 'required', missingScope: 'unauthorized', unorderedPaging: 'shuffled' };

export interface TapkeyWorldOptions {
  /** Bound locks in the demo owner account (default: the demo world's 51). */
  locks?: number;
  /** Seconds an access token lives (`expires_in`). Tapkey's real value is NOT FOUND in the docs. */
  tokenLifetimeSeconds?: number;
  /**
   * ASSUMED: a second active grant for the same contact and lock answers 409 `Duplicate` (the
   * only hint is third-party code treating `ErrorCode: "Duplicate"` as "already exists").
   * `allow` lets tests see duplicates our own check-before-create must prevent.
   */
  duplicateGrants?: 'reject' | 'allow';
  /** Demo owner account name. */
  ownerName?: string;
  /** 'strict' or 'lenient' presets, or single behaviours over the lenient preset. */
  behaviours?: 'strict' | 'lenient' | Partial<TapkeyBehaviours>;
}

const readableLock = (lock: DemoLock) => {
  // physicalLockId: base64 of a 2-byte length prefix + the lock's bytes [TK-REPO logexport].
  const bytes = createHash('sha256').update(`physical:${lock.id}`).digest().subarray(0, 6);
  return Buffer.concat([Buffer.from([0x00, bytes.length]), bytes]).toString('base64');
};

export function seedLocks(count?: number): DemoLock[] {
  if (count === undefined) return demoLocks();
  // The demo world's three shared doors come last; the rest are unit doors.
  return demoLocks(demoUnits(Math.max(0, count - 3))).slice(0, count);
}

export class TapkeyWorld {
  readonly clients = new Map<string, SandboxClient>();
  readonly owners = new Map<string, Owner>();
  readonly locks = new Map<string, BoundLock>();
  readonly contacts = new Map<string, Contact>();
  readonly grants = new Map<string, Grant>();
  tokenLifetimeSeconds: number;
  duplicateGrants: 'reject' | 'allow';
  behaviours: TapkeyBehaviours;
  /** Issued tokens: value → who and until when. */
  readonly tokens = new Map<string, { clientId: string; scopes: string[]; expiresAt: number }>();

  constructor(opts: TapkeyWorldOptions = {}) {
    this.tokenLifetimeSeconds = opts.tokenLifetimeSeconds ?? 3600;
    this.duplicateGrants = opts.duplicateGrants ?? 'reject';
    const b = opts.behaviours ?? 'lenient';
    this.behaviours = b === 'strict' ? { ...STRICT_BEHAVIOURS } : b === 'lenient' ? { ...LENIENT_BEHAVIOURS } : { ...LENIENT_BEHAVIOURS, ...b };
    this.addOwner({ id: SANDBOX_OWNER_ID, name: opts.ownerName ?? 'AccessBridge Demo Storage', active: true });
    this.addClient({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, allowedScopes: [...ALL_SCOPES], ownerIds: [SANDBOX_OWNER_ID] });
    for (const lock of seedLocks(opts.locks)) this.addLock(SANDBOX_OWNER_ID, lock);
  }

  addClient(client: SandboxClient) {
    this.clients.set(client.clientId, { ...client, ownerIds: client.ownerIds.map((o) => o.toLowerCase()) });
  }

  addOwner(owner: Owner) {
    this.owners.set(owner.id.toLowerCase(), { ...owner, id: owner.id.toLowerCase() });
  }

  addLock(ownerId: string, lock: { id: string; title: string; description?: string }): BoundLock {
    const bound: BoundLock = {
      id: lock.id.toLowerCase(),
      ownerAccountId: ownerId,
      title: lock.title,
      description: lock.description ?? null,
      active: true,
      bindDate: '2025-03-01T09:00:00.000Z',
      unbindDate: null,
      physicalLockId: readableLock(lock),
      lockTypeId: 'TK.Td30',
      lockType: { id: 'TK.Td30', manufacturerId: 1, modelName: 'Td30', supportedTechnologies: ['nfc', 'ble'] },
      targetType: 'Lock',
      rclSerialNo: 1,
      rclDate: null,
      lastSeenRclSerialNo: null,
      lastSeenRclUpdateDate: null,
      healthStatuses: null,
      membershipStatistics: null,
      supportedFeatures: null,
    };
    this.locks.set(bound.id, bound);
    return bound;
  }

  locksOf(ownerId: string): BoundLock[] {
    return [...this.locks.values()].filter((l) => l.ownerAccountId === ownerId);
  }

  contactsOf(ownerId: string): Contact[] {
    return [...this.contacts.values()].filter((c) => c.ownerId === ownerId);
  }

  findContact(ownerId: string, identifier: string): Contact | undefined {
    const wanted = identifier.toLowerCase();
    return this.contactsOf(ownerId).find((c) => c.identifier.toLowerCase() === wanted);
  }

  /** ASSUMED: creating a contact whose identifier exists answers the existing contact. */
  upsertContact(ownerId: string, input: { ipId?: string; identifier: string; title?: string | null; comment?: string | null }): Contact {
    const existing = this.findContact(ownerId, input.identifier);
    if (existing) return existing;
    const contact: Contact = {
      id: randomUUID(),
      ownerId,
      ipId: input.ipId ?? 'tapkey',
      identifier: input.identifier,
      email: input.identifier,
      title: input.title ?? null,
      comment: input.comment ?? null,
    };
    this.contacts.set(contact.id, contact);
    return contact;
  }

  /** A staff NFC card's grant on a lock: no contact, a bound card [DOC example "card grant"]. */
  addCardGrant(ownerId: string, lockId: string, boundCardId: string = randomUUID()): Grant {
    const grant: Grant = { id: randomUUID(), ownerId, boundLockId: lockId.toLowerCase(), contactId: null, boundCardId, validFrom: null, validBefore: null, timeRestrictionIcal: null, state: 'Ok', active: true, createdAt: new Date().toISOString() };
    this.grants.set(grant.id, grant);
    return grant;
  }

  /** A contact grant made by hand in the portal, outside AccessBridge. */
  addContactGrant(ownerId: string, lockId: string, email: string, window: { validFrom?: string | null; validBefore?: string | null } = {}): Grant {
    const contact = this.upsertContact(ownerId, { identifier: email });
    const grant: Grant = { id: randomUUID(), ownerId, boundLockId: lockId.toLowerCase(), contactId: contact.id, boundCardId: null, validFrom: window.validFrom ?? null, validBefore: window.validBefore ?? null, timeRestrictionIcal: null, state: 'Ok', active: true, createdAt: new Date().toISOString() };
    this.grants.set(grant.id, grant);
    return grant;
  }

  /** Starts (async) or finishes (sync) a revocation. */
  revoke(grant: Grant) {
    if (this.behaviours.revoke === 'async') grant.state = 'Revoking';
    else this.finishRevocation(grant);
  }

  finishRevocation(grant: Grant) {
    grant.state = 'Revoked';
    grant.active = false;
  }

  /** Async mode: the locks have synced, every pending revocation is done. Returns how many. */
  completeRevocations(): number {
    let n = 0;
    for (const g of this.grants.values())
      if (g.state === 'Revoking') {
        this.finishRevocation(g);
        n++;
      }
    return n;
  }

  grantsOf(ownerId: string): Grant[] {
    return [...this.grants.values()].filter((g) => g.ownerId === ownerId);
  }

  /** The grant as the API answers it: with the nested contact and bound lock [DOC example]. */
  view(grant: Grant) {
    const { createdAt: _created, ...rest } = grant;
    const contact = grant.contactId ? (this.contacts.get(grant.contactId) ?? null) : null;
    const boundCard = grant.boundCardId ? { id: grant.boundCardId, title: 'Staff card', active: true } : null;
    return { ...rest, contact, boundLock: this.locks.get(grant.boundLockId) ?? null, boundCard, owner: null };
  }

  /**
   * Live grants (active and not being revoked) per (contact identifier, lock): what tests use to
   * count duplicates and leftovers. Card grants have no contact and are not counted.
   */
  activeGrantsByContactAndLock(ownerId = SANDBOX_OWNER_ID): Map<string, Grant[]> {
    const out = new Map<string, Grant[]>();
    for (const g of this.grantsOf(ownerId)) {
      if (!g.active || g.state === 'Revoking' || !g.contactId) continue;
      const key = `${this.contacts.get(g.contactId)?.identifier.toLowerCase()}|${g.boundLockId}`;
      out.set(key, [...(out.get(key) ?? []), g]);
    }
    return out;
  }

  /** Invalidates every issued token, as an expiry or a key rotation on Tapkey's side would. */
  expireTokens() {
    this.tokens.clear();
  }
}
