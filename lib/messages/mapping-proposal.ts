/**
 * The whole-site mapping review (admin page): messages and answers. Part of the message protocol
 * (lib/messages.ts).
 */
import { z } from 'zod';
import type { ImportReport } from '../mapping-file.ts';
import type { MappingProposal } from '../mapping-proposal-schema.ts';
import { message } from './define.ts';

// Handlers: entrypoints/background/mapping-proposal.ts. Extension pages only. The handler
// checks the API's answers with lib/mapping-proposal-schema.ts (kept out of this file so the
// content scripts stay small, as above).
const proposalCorrections = () => z.array(z.object({ unitId: z.string().uuid(), lockId: z.string().uuid().nullable() })).max(10_000).default([]);

export const mappingProposalMessages = {
  mappingProposal: message<MappingProposal>()(z.object({ type: z.literal('mappingProposal'), locationId: z.string().uuid(), corrections: proposalCorrections() })),
  mappingProposalFile: message<{ fileName: string; contentType: string; base64: string }>()(z.object({
    type: z.literal('mappingProposalFile'),
    locationId: z.string().uuid(),
    format: z.enum(['csv', 'xlsx']),
    corrections: proposalCorrections(),
  })),
  applyMappingProposal: message<{ report: ImportReport; rejected: boolean }>()(z.object({
    type: z.literal('applyMappingProposal'),
    locationId: z.string().uuid(),
    rows: z.array(z.object({ unitId: z.string().uuid(), lockId: z.string().uuid(), replace: z.boolean().default(false) })).min(1).max(10_000),
    dryRun: z.boolean(),
  })),
} as const;

export type MappingProposalMessageType = keyof typeof mappingProposalMessages;

