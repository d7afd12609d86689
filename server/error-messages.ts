/**
 * Answers the API's own error messages in the caller's language (Accept-Language). Handlers
 * keep throwing `ApiError` with the English text; `sendError` looks the text up here, so a
 * message without an entry (or one a handler already translated) is sent unchanged.
 */
import { matchLanguage, translate, type Language, type MessageKey } from '../lib/i18n/index.ts';
import type { ErrorCode, FieldError } from '../lib/contract.ts';

type Params = Record<string, string>;
interface Rule {
  /** Limits a rule to the codes that message is thrown with, so a look-alike text stays put. */
  codes?: readonly ErrorCode[];
  pattern: RegExp;
  key: MessageKey;
  params?: (m: RegExpMatchArray) => Params;
}

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const tapkey = (text: string, key: MessageKey, codes: ErrorCode[]): Rule[] => [
  { codes, pattern: exact(text), key },
  // The same text followed by Tapkey's own explanation, which stays as Tapkey wrote it.
  { codes, pattern: new RegExp(`^${exact(text).source.slice(1, -1)} \\(Tapkey: (.+)\\)$`, 's'), key, params: (m) => ({ detail: m[1]! }) },
];

const rules: Rule[] = [
  { codes: ['unauthorized'], pattern: /^Missing API token: send "Authorization: Bearer <token>"$/, key: 'api.error.missingToken' },
  { codes: ['unauthorized'], pattern: exact('Invalid or revoked API token'), key: 'api.error.invalidToken' },
  { codes: ['validation_failed'], pattern: exact('Some fields are not valid'), key: 'api.error.invalidFields' },
  { codes: ['forbidden'], pattern: /^Origin (.+) is not allowed$/, key: 'api.error.originNotAllowed', params: (m) => ({ origin: m[1]! }) },
  { codes: ['not_found'], pattern: /^No route for (\S+) (.+)$/, key: 'api.error.noRoute', params: (m) => ({ method: m[1]!, path: m[2]! }) },
  { codes: ['internal'], pattern: exact('Internal error'), key: 'api.error.internal' },
  { codes: ['payload_too_large'], pattern: /^Request body is larger than (\d+) bytes$/, key: 'api.error.bodyTooLarge', params: (m) => ({ bytes: m[1]! }) },
  { codes: ['bad_request'], pattern: exact('Malformed JSON in request body'), key: 'api.error.malformedJson' },
  { codes: ['bad_request'], pattern: exact('Text must not contain NUL (\\u0000) characters'), key: 'api.error.nulText' },
  { pattern: exact('No such location in your organization'), key: 'api.error.locationNotInOrg' },
  { codes: ['not_found'], pattern: exact('Location not found'), key: 'api.error.locationNotFound' },
  { codes: ['not_found'], pattern: /^Unit (\S+) not found: create it first with PUT \/v1\/units\/\{externalId\}$/, key: 'api.error.unitCreateFirst', params: (m) => ({ id: m[1]! }) },
  { codes: ['not_found'], pattern: /^Unit (\S+) not found$/, key: 'api.error.unitNotFound', params: (m) => ({ id: m[1]! }) },
  { codes: ['not_found'], pattern: /^Unit (\S+) has no mapping$/, key: 'api.error.unitHasNoMapping', params: (m) => ({ id: m[1]! }) },
  { codes: ['not_found'], pattern: /^Booking (\S+) not found$/, key: 'api.error.bookingNotFound', params: (m) => ({ id: m[1]! }) },
  { codes: ['not_found'], pattern: exact('Sync run not found'), key: 'api.error.syncRunNotFound' },
  { codes: ['unprocessable'], pattern: exact('Connect this location to Tapkey first (client ID, secret and locking system ID)'), key: 'api.error.connectTapkeyFirst' },
  { codes: ['unprocessable'], pattern: exact('The file is empty.'), key: 'api.error.fileEmpty' },
  ...tapkey("Tapkey rejected the client ID or client secret. Check them in this location's Tapkey settings.", 'api.error.tapkey.badCredentials', ['unprocessable']),
  ...tapkey(
    'The Tapkey OAuth client lacks a permission: in the Tapkey integrator portal set Owners to ReadOnly and Core Entities and Grants to ReadAndWrite.',
    'api.error.tapkey.scopeMissing',
    ['unprocessable'],
  ),
  ...tapkey("Tapkey refused access: the OAuth client's service account is not co-admin of this locking system, or lacks a permission.", 'api.error.tapkey.forbidden', ['unprocessable']),
  ...tapkey('Tapkey does not know this locking system, lock or grant.', 'api.error.tapkey.notFound', ['unprocessable']),
  ...tapkey("The Tapkey owner account's plan does not allow this (402).", 'api.error.tapkey.paymentRequired', ['unprocessable']),
  ...tapkey('Tapkey reports that this already exists or changed concurrently.', 'api.error.tapkey.conflict', ['conflict']),
  ...tapkey('Tapkey is rate limiting requests; try again shortly.', 'api.error.tapkey.rateLimited', ['rate_limited']),
  ...tapkey('Tapkey cannot be reached right now; try again shortly.', 'api.error.tapkey.unreachable', ['unavailable']),
  ...tapkey('Tapkey refused a freshly issued access token.', 'api.error.tapkey.tokenRefused', ['provider_error']),
  ...tapkey('Tapkey answered with an error.', 'api.error.tapkey.other', ['provider_error']),
];

/** The language an Accept-Language header asks for, honouring q-values ("fr;q=0.5, de"). */
export function languageOfHeader(header: string | undefined | null): Language {
  const tags = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...attrs] = part.trim().split(';');
      const q = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag!.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((t) => t.tag && t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return matchLanguage(tags.map((t) => t.tag));
}

/** `message` in `lang`, or unchanged when it is not one of the API's own messages. */
export function localizeMessage(code: ErrorCode | null, message: string, lang: Language): string {
  if (lang === 'en') return message;
  for (const rule of rules) {
    if (rule.codes && (code === null || !rule.codes.includes(code))) continue;
    const m = message.match(rule.pattern);
    if (!m) continue;
    const params = rule.params?.(m) ?? {};
    const { detail, ...rest } = params;
    const text = translate(lang, rule.key, rest);
    return detail === undefined ? text : translate(lang, 'api.error.tapkey.withDetail', { message: text, detail });
  }
  return message;
}

export function localizeFieldErrors(fieldErrors: FieldError[], lang: Language): FieldError[] {
  if (lang === 'en') return fieldErrors;
  return fieldErrors.map((f) => ({ ...f, message: localizeMessage(null, f.message, lang) }));
}
