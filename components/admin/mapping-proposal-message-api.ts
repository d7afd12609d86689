/**
 * The review screen's API inside the extension (the admin and options pages): typed messages
 * to the background, which holds the token. Failures become MappingProposalApiErrors with the
 * sentence the extension shows everywhere (describeError).
 */
import type { Send } from '../../lib/messages.ts';
import { describeError } from '../describe-error.ts';
import type { Translate } from '../ui-context.ts';
import { MappingProposalApiError, type MappingProposalApi } from './mapping-proposal-api.ts';

export function createMessageMappingProposalApi(send: Send, t: Translate): MappingProposalApi {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new MappingProposalApiError(describeError(t, error));
    }
  };
  return {
    propose: (locationId, corrections) => call(() => send({ type: 'mappingProposal', locationId, corrections })),
    download: (locationId, format, corrections) => call(() => send({ type: 'mappingProposalFile', locationId, format, corrections })),
    apply: (locationId, rows, dryRun) => call(() => send({ type: 'applyMappingProposal', locationId, rows, dryRun })),
    locks: () => call(async () => (await send({ type: 'listLocks' })).items),
  };
}
