/**
 * The JSON examples of Tapkey's public references (test/fixtures/tapkey, each with its source)
 * parse with the connector's schemas, and what the connector derives from them holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boundLockSchema, contactSchema, grantEmail, grantSchema, isBeingRevoked, isCardGrant, isLive, ownerSchema, tokenResponseSchema } from '../../server/tapkey/schemas.ts';

const dir = join(import.meta.dirname, '../fixtures/tapkey');
const fixture = z.object({ source: z.string().url(), endpoint: z.string().min(1), note: z.string().min(1), example: z.unknown() });
const load = (name: string) => fixture.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')));

const schemas: Record<string, z.ZodType> = {
  'token-response.json': tokenResponseSchema,
  'owners.json': z.array(ownerSchema),
  'bound-locks.json': z.array(boundLockSchema),
  'contact.json': contactSchema,
  'grants.json': z.array(grantSchema),
  'revoke-request.json': z.object({ dryRun: z.literal(false) }).strict(),
};

describe('Tapkey documented examples', () => {
  it('every fixture names its source and has a schema here', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(schemas).sort());
    for (const f of files) expect(load(f).source, f).toMatch(/^https:\/\/(developers\.tapkey\.io|github\.com)\//);
  });

  for (const [file, schema] of Object.entries(schemas))
    it(`${file} parses with the connector's schema`, () => {
      const parsed = schema.safeParse(load(file).example);
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    });

  it('reads the documented contact grant as a live person grant and the card grant as a staff card', () => {
    const [person, card] = z.array(grantSchema).parse(load('grants.json').example);
    expect(grantEmail(person!)).toBe('user1@tapkey.com');
    expect(isCardGrant(person!)).toBe(false);
    expect(isLive(person!)).toBe(true);
    expect(isCardGrant(card!)).toBe(true);
    expect(card!.boundCardId).toBe('1');
    expect(isLive(card!)).toBe(false);
    expect(isBeingRevoked(card!)).toBe(false);
  });

  it('a grant still active whose state speaks of revocation is being revoked, not live; an unknown state is live', () => {
    const base = grantSchema.parse((load('grants.json').example as unknown[])[0]);
    expect(isBeingRevoked({ ...base, state: 'Revoking' })).toBe(true);
    expect(isLive({ ...base, state: 'RevocationPending' })).toBe(false);
    expect(isLive({ ...base, state: 'SomethingNew' })).toBe(true);
    expect(isLive({ ...base, active: false })).toBe(false);
  });
});
