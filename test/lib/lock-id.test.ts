import { describe, expect, it } from 'vitest';
import { extractLockId, lockIdSchema } from '../../lib/lock-id.ts';

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

  it('takes the owner UUID as a last resort when no locks segment exists (documented rule)', () => {
    expect(extractLockId(`https://my.tapkey.com/owners/${OWNER}`)).toBe(OWNER);
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
