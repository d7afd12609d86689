/** Reading a computed mapping proposal: its rows, and the rows of the file to download. */
import type { Confidence, MappingProposal } from './mapping-proposal-schema.ts';

/** Every row of a proposal, group after group. */
export const proposalRows = (p: MappingProposal) => p.groups.flatMap((g) => g.rows);

/**
 * The download: the mapping file's two columns plus the confidence, for rows with a lock
 * (operator-confirmed, high and medium). Ordered like the review screen.
 */
export function proposalFileRows(p: MappingProposal, levels: readonly Confidence[] = ['confirmed', 'high', 'medium']): string[][] {
  return proposalRows(p).flatMap((r) => (r.lock && levels.includes(r.confidence) ? [[r.lock.id, r.unit.name, r.confidence]] : []));
}
