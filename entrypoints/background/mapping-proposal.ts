/**
 * The mapping proposal review (components/admin/MappingReview.tsx) asks here: the proposal
 * with the operator's corrections, its download, and the apply (a dry run first, then all or
 * nothing). The API token stays here; answers are checked against the shared schemas before
 * a page sees them.
 */
import { FILE_CONTENT_TYPES } from '../../lib/mapping-file.ts';
import { mappingProposalSchema } from '../../lib/mapping-proposal-schema.ts';
import { toBase64 } from '../../lib/base64.ts';
import type { Handlers } from '../../lib/messages.ts';
import type { ManagerDeps } from './manager.ts';
import { importAnswer } from './bulk.ts';

/** A 5,000-unit site takes seconds to propose and to apply; the client's usual 10 s is too short. */
const PROPOSAL_TIMEOUT_MS = 120_000;

const fileNameOf = (disposition: string | null, fallback: string) => /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? fallback;
const base = (locationId: string) => `v1/locations/${encodeURIComponent(locationId)}/mapping-proposal`;

export function createMappingProposalHandlers({ withApi }: Pick<ManagerDeps, 'withApi'>): Pick<Handlers, 'mappingProposal' | 'mappingProposalFile' | 'applyMappingProposal'> {
  return {
    async mappingProposal({ locationId, corrections }) {
      return withApi((client) =>
        client.request(mappingProposalSchema, (http) => http.post(base(locationId), { json: { corrections }, timeout: PROPOSAL_TIMEOUT_MS })),
      );
    },

    async mappingProposalFile({ locationId, format, corrections }) {
      return withApi(async (client) => {
        const res = await client.raw((http) => http.post(`${base(locationId)}/file`, { json: { corrections }, searchParams: { format }, timeout: PROPOSAL_TIMEOUT_MS }));
        return {
          fileName: fileNameOf(res.headers.get('content-disposition'), `accessbridge-mapping-proposal.${format}`),
          contentType: FILE_CONTENT_TYPES[format],
          base64: toBase64(new Uint8Array(await res.arrayBuffer())),
        };
      });
    },

    async applyMappingProposal({ locationId, rows, dryRun }) {
      return withApi(async (client) => {
        const res = await client.raw((http) =>
          http.post(`${base(locationId)}/apply`, {
            json: { rows, dryRun },
            timeout: PROPOSAL_TIMEOUT_MS,
            // Applying twice is harmless (rows become `unchanged`), but one long apply is enough.
            retry: 0,
            // A 422 carries the report (rows with errors, nothing written): read it below.
            throwHttpErrors: (status) => status !== 422,
          }),
        );
        return importAnswer(res, 'The proposal could not be applied.');
      });
    },
  };
}
