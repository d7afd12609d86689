import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('server configuration from the environment (server/config.ts)', () => {
  it('has defaults for everything, and an empty variable counts as unset', () => {
    const config = loadConfig({ PORT: '', TAPKEY_TIMEOUT_MS: '' });
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: '.data', corsOrigins: [], tapkey: {}, keycafe: {}, bookings: {} });
    expect(config.outboxConcurrency).toBeUndefined();
  });

  it('reads what is set, provider settings included', () => {
    const config = loadConfig({
      PORT: '0',
      ACCESSBRIDGE_OUTBOX_CONCURRENCY: '4',
      ACCESSBRIDGE_OUTBOX_LEASE_MS: '5000',
      TAPKEY_API_URL: 'http://127.0.0.1:9999/api',
      TAPKEY_RETRIES: '2',
      KEYCAFE_TIMEOUT_MS: '1500',
      BOOKINGS_STALE_DAYS: '7',
    });
    expect(config).toMatchObject({ port: 0, outboxConcurrency: 4, outboxLeaseMs: 5000, tapkey: { apiUrl: 'http://127.0.0.1:9999/api', retries: 2 }, keycafe: { timeoutMs: 1500 }, bookings: { staleDays: 7 } });
  });

  it.each([
    ['TAPKEY_TIMEOUT_MS', 'abc', 'TAPKEY_TIMEOUT_MS must be a whole number of milliseconds, got "abc"'],
    ['PORT', '70000', 'PORT must be a port number, got "70000"'],
    ['ACCESSBRIDGE_OUTBOX_CONCURRENCY', '0', 'ACCESSBRIDGE_OUTBOX_CONCURRENCY must be a whole number from 1 to 256, got "0"'],
    ['KEYCAFE_API_URL', 'javascript:alert(1)', 'KEYCAFE_API_URL must be an http(s) URL, got "javascript:alert(1)"'],
  ])('stops on a bad %s with its name and what it must be', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
