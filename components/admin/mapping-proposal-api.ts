/**
 * What the mapping review screen (MappingReview.tsx) needs from its host. The extension's
 * implementation asks the background through typed messages (mapping-proposal-message-api.ts);
 * a test or another host passes its own. The screen never sees a token or a URL.
 */
import type { ImportReport, FileFormat } from '../../lib/mapping-file.ts';
import type { Correction, MappingProposal } from '../../lib/mapping-proposal-schema.ts';
import type { LockChoice } from '../../lib/messages.ts';

export interface ProposalFile {
  fileName: string;
  contentType: string;
  base64: string;
}

export interface ApplyRow {
  unitId: string;
  lockId: string;
  /** Ticked by the operator: this row may move a lock mapped to another unit. */
  replace: boolean;
}

export interface MappingProposalApi {
  /** The location's proposal, recomputed with the operator's corrections. */
  propose(locationId: string, corrections: Correction[]): Promise<MappingProposal>;
  /** The proposal as the mapping file plus confidence. */
  download(locationId: string, format: FileFormat, corrections: Correction[]): Promise<ProposalFile>;
  /** Through the mapping file import: a report; `rejected` when applying was refused (nothing written). */
  apply(locationId: string, rows: ApplyRow[], dryRun: boolean): Promise<{ report: ImportReport; rejected: boolean }>;
  /** Every lock of the organization with the unit it is mapped to, for the lock picker. */
  locks(): Promise<LockChoice[]>;
}

/** A failed call as the screen shows it: a sentence already in the user's language. */
export class MappingProposalApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingProposalApiError';
  }
}
