/**
 * The JSON examples of Keycafe's public reference (test/fixtures/keycafe/*.json, each with its
 * source URL) parse with the connector's schemas, and every field the connector sends when it
 * creates an access is a field of the documented request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keycafeApiAccess, keycafeApiKey, keycafeApiLocation, keycafeErrorBody, type CreateAccessBody } from '../../server/keycafe/api-schemas.ts';
import { nextLink } from '../../server/keycafe/responses.ts';

const dir = join(import.meta.dirname, '../fixtures/keycafe');
const fixture = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { source: string; example: any; variants?: Record<string, string> };

describe('Keycafe reference examples', () => {
  it('every fixture names its public source', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(fixture(f).source, f).toMatch(/^https:\/\/(docs|www)\.keycafe\.com\//);
  });

  it('the documented error body parses, errorId and field errors included', () => {
    const parsed = keycafeErrorBody.parse(fixture('error-body.json').example);
    expect(parsed).toEqual({ error: { errorId: 'unauthorized', errorMessage: 'Unauthorized' }, fieldErrors: [{ field: 'name', errorMessage: 'Please specify a key name.' }] });
  });

  it("the webhook event's location parses: lower-case timezone, address object", () => {
    const { location, key } = fixture('webhook-event.json').example;
    expect(keycafeApiLocation.parse(location)).toEqual({ id: '123456', name: 'Corner Cafe', address: '123 Main St.', timeZone: 'America/Vancouver' });
    expect(keycafeApiKey.parse(key)).toEqual({ id: '123456', name: "Bob's Home Key", serialNumber: 'XXXXX', homeLocation: null });
  });

  it('the access object parses, and so do its name-only and ongoing variants', () => {
    const example = fixture('access-object.json').example;
    expect(keycafeApiAccess.parse(example)).toMatchObject({ id: '123456', bookingCode: '123456', key: { id: '123456' }, user: { id: '123456', email: 'bob@example.com' }, timeZone: 'America/Vancouver' });
    const { user: _user, ...nameOnly } = example;
    expect(keycafeApiAccess.parse(nameOnly).user).toBeNull();
    const { checkinLink: _c, linkCode: _l, startDate: _s, endDate: _e, accessStartDate: _a, accessStartTime: _b, accessEndDate: _d, accessEndTime: _f, ...ongoing } = example;
    const parsedOngoing = keycafeApiAccess.parse(ongoing);
    expect(parsedOngoing.checkinLink).toBeNull();
    expect(parsedOngoing.accessStartDate ?? null).toBeNull();
  });

  it('every field of our create-access request is a documented field', () => {
    const documented = fixture('create-access-request.json').example;
    const ours: Required<CreateAccessBody> = {
      user: { email: 'x@example.com' },
      key: { id: '1' },
      accessStartDate: '',
      accessStartTime: '',
      accessEndDate: '',
      accessEndTime: '',
      timeZone: '',
      name: '',
      returnReminder: false,
      suppressGuestNotifications: false,
      locale: 'en',
      allowSetup: false,
    };
    for (const field of Object.keys(ours)) expect(Object.keys(documented), field).toContain(field);
    expect(Object.keys(documented.user)).toEqual(expect.arrayContaining(['id', 'email', 'mobile']));
  });

  it('the documented Link header gives the next page', () => {
    expect(nextLink(fixture('search-keys-link.json').example)).toBe('https://www.keycafe.com/v0/key?query=vancouver&page=2');
  });
});
