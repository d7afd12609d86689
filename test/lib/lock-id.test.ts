import { describe, expect, it } from 'vitest';
import { extractLockId, extractOwnerAccountId, lockIdSchema, namedLockId } from '../../lib/lock-id.ts';

const LOCK = 'ea610634-4fc0-4084-85b2-bebf52c3595f';
const OWNER = '0b8c3d2e-1111-4222-8333-944455556666';
const OTHER = 'c0ffee00-aaaa-4bbb-8ccc-ddddeeeeffff';

describe('extractLockId', () => {
  it.each([
    ['path after locks', `https://my.tapkey.com/owners/${OWNER}/locks/${LOCK}`],
    ['path after BoundLocks', `https://my.tapkey.com/api/v1/Owners/${OWNER}/BoundLocks/${LOCK}`],
    ['path with trailing segment', `https://my.tapkey.com/owners/${OWNER}/locks/${LOCK}/grants`],
    ['hash route', `https://my.tapkey.com/#/owners/${OWNER}/locks/${LOCK}`],
    ['hashbang route', `https://my.tapkey.com/#!/locks/${LOCK}?tab=access`],
    ['query parameter named lock', `https://my.tapkey.com/lock?ownerId=${OWNER}&lockId=${LOCK}`],
    ['query parameter locks=', `https://my.tapkey.com/view?locks=${LOCK}&owner=${OWNER}`],
    ['upper case UUID', `https://my.tapkey.com/locks/${LOCK.toUpperCase()}`],
    ['percent-encoded hash', `https://my.tapkey.com/#%2Fowners%2F${OWNER}%2Flocks%2F${LOCK}`],
    ['singular lock segment', `https://my.tapkey.com/owner/${OWNER}/lock/${LOCK}`],
    ['only UUID, last one wins', `https://my.tapkey.com/${OWNER}/${LOCK}`],
    ['locks segment in hash wins over later UUID in query', `https://my.tapkey.com/#/locks/${LOCK}?ref=${OTHER}`],
  ])('%s', (_name, url) => {
    expect(extractLockId(url)).toBe(LOCK);
  });

  it('prefers the UUID after a locks segment over the last UUID', () => {
    expect(extractLockId(`https://my.tapkey.com/locks/${LOCK}/contacts/${OTHER}`)).toBe(LOCK);
  });

  it.each([
    ['no UUID', 'https://my.tapkey.com/owners/abc/locks'],
    ['locks list', `https://my.tapkey.com/owners/${OWNER}/locks`.replace(OWNER, 'home')],
    ['not a URL', 'not a url'],
    ['truncated UUID', 'https://my.tapkey.com/locks/ea610634-4fc0-4084-85b2-bebf52c3595'],
    ['empty', ''],
  ])('returns null for %s', (_name, url) => {
    expect(extractLockId(url)).toBeNull();
  });

  // Changed deliberately: the owner UUID used to be taken as a last resort, which made the
  // locking system's own pages (settings) look like lock pages.
  it('never takes a UUID that follows an owner, user or contact segment', () => {
    expect(extractLockId(`https://my.tapkey.com/owners/${OWNER}`)).toBeNull();
    expect(extractLockId(`https://my.tapkey.com/owners/${OWNER}/settings`)).toBeNull();
    expect(extractLockId(`https://my.tapkey.com/owners/${OWNER}/users/${OTHER}`)).toBeNull();
    expect(extractLockId(`https://my.tapkey.com/#/owners/${OWNER}/contacts/${OTHER}`)).toBeNull();
  });

  it('reads the owner account (locking system) a URL names', () => {
    expect(extractOwnerAccountId(`https://my.tapkey.com/owners/${OWNER.toUpperCase()}/locks/${LOCK}`)).toBe(OWNER);
    expect(extractOwnerAccountId(`https://my.tapkey.com/#/owners/${OWNER}/settings`)).toBe(OWNER);
    expect(extractOwnerAccountId(`https://my.tapkey.com/locks/${LOCK}`)).toBeNull();
  });

  it('names a lock only after a lock segment', () => {
    expect(namedLockId(`https://my.tapkey.com/owners/${OWNER}/boundlocks/${LOCK}`)).toBe(LOCK);
    expect(namedLockId(`https://my.tapkey.com/lock-details?id=${LOCK}`)).toBe(LOCK);
    expect(namedLockId(`https://my.tapkey.com/${OWNER}/${LOCK}`)).toBeNull();
    expect(namedLockId(`https://my.tapkey.com/owners/${OWNER}/settings`)).toBeNull();
  });
});

describe('lockIdSchema', () => {
  it('normalises case and whitespace', () => {
    expect(lockIdSchema.parse(`  ${LOCK.toUpperCase()} `)).toBe(LOCK);
  });
  it('rejects anything but a UUID with a clear message', () => {
    const r = lockIdSchema.safeParse('12345');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/UUID/);
  });
});
