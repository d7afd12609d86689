import type { MessageKey } from '../lib/i18n/index.ts';
import { BridgeRequestError, type BridgeError } from '../lib/messages/send.ts';
import type { Translate } from './ui-context.ts';

const byKind: Partial<Record<BridgeError['kind'], MessageKey>> = {
  not_configured: 'ext.error.notConfigured',
  unauthorized: 'ext.error.unauthorized',
  unreachable: 'ext.error.unreachable',
  timeout: 'ext.error.timeout',
  not_accessbridge: 'ext.error.notAccessBridge',
  invalid_response: 'ext.error.invalidResponse',
  forbidden: 'ext.error.forbidden',
};

export function bridgeErrorOf(error: unknown): BridgeError {
  if (error instanceof BridgeRequestError) return error.error;
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error), fieldErrors: [] };
}

/** A sentence for the user: what went wrong and, where we know it, what to do. */
export function describeError(t: Translate, error: unknown): string {
  const e = bridgeErrorOf(error);
  const key = byKind[e.kind];
  if (key) return t(key);
  if (e.kind === 'api') {
    const fields = e.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ');
    return t('ext.error.api', { message: fields ? `${e.message} (${fields})` : e.message });
  }
  return t('common.error.unknown', { message: e.message });
}
