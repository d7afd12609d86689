/**
 * The API's error messages in the caller's language: the body keeps the contract's shape,
 * only the texts change with Accept-Language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { languageOfHeader, localizeMessage } from '../../server/error-messages.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe('Accept-Language', () => {
  it('picks the preferred supported language, honouring q-values', () => {
    expect(languageOfHeader('de-CH,de;q=0.9,en;q=0.8')).toBe('de');
    expect(languageOfHeader('en;q=0.3, fr-FR')).toBe('fr');
    expect(languageOfHeader('es, it;q=0.9')).toBe('en');
    expect(languageOfHeader('*')).toBe('en');
    expect(languageOfHeader(undefined)).toBe('en');
    expect(languageOfHeader('fr;q=0, de;q=0.1')).toBe('de');
  });
});

describe('localized API errors over HTTP', () => {
  it('answers a missing token in German and French with the same body shape', async () => {
    const en = await api.json('GET', '/v1/me', undefined, { token: null });
    const de = await api.json('GET', '/v1/me', undefined, { token: null, headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    const fr = await api.json('GET', '/v1/me', undefined, { token: null, headers: { 'accept-language': 'fr' } });
    expect(en.body.error.message).toBe('Missing API token: send "Authorization: Bearer <token>"');
    expect(de.body).toEqual({ error: { code: 'unauthorized', message: 'API-Token fehlt: Senden Sie "Authorization: Bearer <token>"' }, fieldErrors: [] });
    expect(fr.body).toEqual({ error: { code: 'unauthorized', message: 'Jeton d\'API manquant : envoyez "Authorization: Bearer <token>"' }, fieldErrors: [] });
    for (const r of [en, de, fr]) {
      expect(r.status).toBe(401);
      expect(errorBodySchema.safeParse(r.body).success).toBe(true);
    }
  });

  it('translates a wrong token and an unknown route, keeping the values in the message', async () => {
    const wrong = await api.json('GET', '/v1/me', undefined, { token: 'ab_wrong', headers: { 'accept-language': 'fr' } });
    expect(wrong.body.error.message).toBe("Jeton d'API invalide ou révoqué");
    const route = await api.json('GET', '/v1/nothing-here', undefined, { headers: { 'accept-language': 'de' } });
    expect(route.status).toBe(404);
    expect(route.body.error.message).toBe('Keine Route für GET /v1/nothing-here');
  });

  it('translates validation failures, and leaves zod field details intact', async () => {
    const res = await api.json('POST', '/v1/locations', { name: 42 }, { headers: { 'accept-language': 'de' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'validation_failed', message: 'Einige Felder sind ungültig' });
    expect(res.body.fieldErrors.length).toBeGreaterThan(0);
    expect(res.body.fieldErrors[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
  });
});

describe('localizeMessage', () => {
  it('keeps Tapkey’s own explanation after the translated text', () => {
    expect(localizeMessage('unprocessable', 'Tapkey does not know this locking system, lock or grant. (Tapkey: Lock 42 unknown)', 'de')).toBe(
      'Tapkey kennt diese Schließanlage, dieses Schloss oder diese Berechtigung nicht. (Tapkey: Lock 42 unknown)',
    );
    expect(localizeMessage('rate_limited', 'Tapkey is rate limiting requests; try again shortly.', 'fr')).toBe(
      'Tapkey limite actuellement les requêtes ; réessayez dans un instant.',
    );
  });

  it('leaves unknown, English-requested or code-mismatched messages unchanged', () => {
    expect(localizeMessage('conflict', 'Something only this handler says', 'de')).toBe('Something only this handler says');
    expect(localizeMessage('unauthorized', 'Invalid or revoked API token', 'en')).toBe('Invalid or revoked API token');
    expect(localizeMessage('conflict', 'Invalid or revoked API token', 'de')).toBe('Invalid or revoked API token');
  });
});
