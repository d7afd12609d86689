/**
 * What the sandbox Keycafe holds: per account its locations, keys, users and accesses, plus a
 * record of every access ever created (deleted ones included) so tests can count duplicates.
 */
import { randomBytes } from 'node:crypto';
import { seedKeys, seedLocations, type SeedKey, type SeedLocation } from './data.ts';

export interface SandboxUser {
  id: number;
  email: string | null;
  mobile: string | null;
}

export interface SandboxAccess {
  id: number;
  bookingCode: string;
  checkinToken: string;
  keyId: number;
  /** Null for a name-only access (create-access: `name` "Required if no user information is specified"). */
  userId: number | null;
  accessStartDate: string | null;
  accessStartTime: string | null;
  accessEndDate: string | null;
  accessEndTime: string | null;
  timeZone: string | null;
  name: string | null;
  returnReminder: boolean;
  suppressGuestNotifications: boolean;
  locale: string;
  allowSetup: boolean;
  createdAt: number;
  deletedAt: number | null;
}

/** A message Keycafe sent the visitor about an access (email or SMS), as the sandbox records it. */
export interface SandboxNotification {
  accessId: number;
  keyId: number;
  to: string;
  channel: 'email' | 'sms';
  at: number;
}

export interface SandboxAccountInit {
  email: string;
  /** API token: `{email}/token:{token}`. */
  token: string;
  /** API key (docs: deprecated, still issued): `{email}/key:{apiKey}`. */
  apiKey?: string;
  locations?: SeedLocation[];
  keys?: SeedKey[];
}

export class SandboxAccount {
  readonly locations = new Map<number, SeedLocation>();
  readonly keys = new Map<number, SeedKey>();
  readonly users = new Map<number, SandboxUser>();
  readonly accesses = new Map<number, SandboxAccess>();
  /** Every access created, in order, deleted ones included. */
  readonly created: SandboxAccess[] = [];
  /** Every notification sent to a visitor, in order. */
  readonly notifications: SandboxNotification[] = [];
  /** Arrival times (clock ms) of calls counted against the rate limit. */
  window: number[] = [];
  lockedUntil = 0;

  constructor(
    readonly email: string,
    readonly token: string,
    readonly apiKey: string | null = null,
  ) {}

  findKey(ref: { id?: unknown; serialNumber?: unknown }): SeedKey | undefined {
    if (ref.id !== undefined) return this.keys.get(Number(ref.id));
    return [...this.keys.values()].find((k) => k.serialNumber === ref.serialNumber);
  }

  /** The access's recipient; null for a name-only access. */
  userOf(access: { userId: number | null }): SandboxUser | null {
    return access.userId === null ? null : (this.users.get(access.userId) ?? null);
  }

  liveAccesses(): SandboxAccess[] {
    return [...this.accesses.values()].filter((a) => a.deletedAt === null);
  }
}

export class SandboxState {
  readonly accounts = new Map<string, SandboxAccount>();
  private nextKeyId = 20001;
  private nextUserId = 9001;
  private nextAccessId = 70001;

  addAccount(init: SandboxAccountInit): SandboxAccount {
    const account = new SandboxAccount(init.email.toLowerCase(), init.token, init.apiKey ?? null);
    for (const l of init.locations ?? seedLocations()) account.locations.set(l.id, l);
    for (const k of init.keys ?? seedKeys()) account.keys.set(k.id, k);
    this.accounts.set(account.email, account);
    return account;
  }

  account(email: string): SandboxAccount {
    const a = this.accounts.get(email.toLowerCase());
    if (!a) throw new Error(`No sandbox Keycafe account ${email}`);
    return a;
  }

  /** A key registered after the fact (the "keys that appear later" of ongoing all-keys access). */
  addKey(email: string, key: { name: string; homeLocationId: number; serialNumber?: string; description?: string | null }): SeedKey {
    const account = this.account(email);
    const id = this.nextKeyId++;
    const created = { id, name: key.name, homeLocationId: key.homeLocationId, serialNumber: key.serialNumber ?? `KC${id.toString(16).toUpperCase()}X`, description: key.description ?? null };
    account.keys.set(id, created);
    return created;
  }

  userFor(account: SandboxAccount, ref: { email?: string; mobile?: string }): SandboxUser {
    const email = ref.email?.toLowerCase() ?? null;
    const mobile = ref.mobile ?? null;
    const found = [...account.users.values()].find((u) => (email && u.email === email) || (mobile && u.mobile === mobile));
    if (found) return found;
    const user = { id: this.nextUserId++, email, mobile };
    account.users.set(user.id, user);
    return user;
  }

  createAccess(account: SandboxAccount, fields: Omit<SandboxAccess, 'id' | 'bookingCode' | 'checkinToken' | 'deletedAt'>): SandboxAccess {
    const access: SandboxAccess = {
      ...fields,
      id: this.nextAccessId++,
      // Keycafe booking codes are short numeric codes typed on the SmartBox screen.
      bookingCode: String(100000 + (randomBytes(4).readUInt32BE() % 900000)),
      checkinToken: randomBytes(9).toString('base64url'),
      deletedAt: null,
    };
    account.accesses.set(access.id, access);
    account.created.push(access);
    return access;
  }

  /**
   * Accesses created more than once for the same key, user and period, across all accounts
   * (deleted ones count: a duplicate that was sent to the visitor stays a duplicate).
   */
  duplicates(): { email: string; keyId: number; userId: number | string; period: string; count: number }[] {
    const out = [];
    for (const account of this.accounts.values()) {
      const groups = new Map<string, number>();
      for (const a of account.created) {
        const k = `${a.keyId}|${a.userId ?? 'name:' + a.name}|${a.accessStartDate} ${a.accessStartTime}|${a.accessEndDate} ${a.accessEndTime}`;
        groups.set(k, (groups.get(k) ?? 0) + 1);
      }
      for (const [k, count] of groups) {
        if (count < 2) continue;
        const [keyId, userId, start, end] = k.split('|');
        out.push({ email: account.email, keyId: Number(keyId), userId: /^\d+$/.test(userId!) ? Number(userId) : userId!, period: `${start} → ${end}`, count });
      }
    }
    return out;
  }

  /** Notifications sent more than once for the same key and recipient (a duplicate SMS or email to a visitor). */
  duplicateNotifications(): { email: string; keyId: number; to: string; count: number }[] {
    const out = [];
    for (const account of this.accounts.values()) {
      const groups = new Map<string, number>();
      for (const n of account.notifications) groups.set(`${n.keyId}|${n.to}`, (groups.get(`${n.keyId}|${n.to}`) ?? 0) + 1);
      for (const [k, count] of groups) if (count > 1) out.push({ email: account.email, keyId: Number(k.split('|')[0]), to: k.split('|')[1]!, count });
    }
    return out;
  }

  /** Total accesses ever created (all accounts). */
  createdCount(): number {
    let n = 0;
    for (const a of this.accounts.values()) n += a.created.length;
    return n;
  }
}
