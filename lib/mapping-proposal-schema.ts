/**
 * The shapes of a mapping proposal as the API answers it and the review screen reads it, and
 * of the corrections and apply requests sent back. Shared by the server, the background and
 * the review component; the engine that computes a proposal is lib/mapping-proposal.ts.
 */
import { z } from 'zod';

/**
 * `confirmed`: chosen by the operator (a correction). `high`: safe to accept in bulk.
 * `medium`: the best and clearly ahead, but not by much, or a weaker kind of match: look at it.
 * `low`: no lock proposed (a tie, a weak match, or nothing alike); the row lists candidates.
 */
export const confidenceLevels = ['confirmed', 'high', 'medium', 'low'] as const;
export const confidenceSchema = z.enum(confidenceLevels);
export type Confidence = z.infer<typeof confidenceSchema>;

/** Why a row is as it is. */
export const proposalReasons = ['confirmed', 'skipped', 'clear', 'close', 'tie', 'weak', 'no_candidate', 'duplicate_name'] as const;
export const proposalReasonSchema = z.enum(proposalReasons);
export type ProposalReason = z.infer<typeof proposalReasonSchema>;

export const namingRuleSchema = z.discriminatedUnion('kind', [
  /** Lock titles carry the unit name after (or before) a code such as a building code: "B2 A-12". */
  // `code`: exactly these (normalised) parts, when the code is the same on most titles of the
  // site; else any code of `shape` ("ln": letters then a number, as in "B2").
  z.object({ kind: z.literal('code_before'), shape: z.string(), code: z.array(z.string()).nullable(), examples: z.array(z.string()) }),
  z.object({ kind: z.literal('code_after'), shape: z.string(), code: z.array(z.string()).nullable(), examples: z.array(z.string()) }),
  /** Lock titles write a word of the unit name another way: "N" or "Basement" for "Nord" / "Keller". */
  z.object({ kind: z.literal('word'), lock: z.string(), unit: z.string() }),
  /** Lock numbers are the unit numbers plus a constant (floor prefixes: "A-112" for "A-12"). */
  z.object({ kind: z.literal('number_offset'), offset: z.number().int() }),
]);
export type NamingRule = z.infer<typeof namingRuleSchema>;

const unitRef = z.object({ id: z.string(), externalId: z.string(), name: z.string() });
const lockRef = z.object({ id: z.string(), title: z.string() });

export const evidenceSchema = z.object({
  kind: z.enum(['exact', 'reordered', 'contained', 'partial', 'different_number', 'none']),
  /** Unit name parts found in the lock title, normalised ("a", "12"). */
  matched: z.array(z.string()),
  approximate: z.array(z.object({ unit: z.string(), lock: z.string(), how: z.enum(['typo', 'abbreviation']) })),
  unitOnly: z.array(z.string()),
  lockOnly: z.array(z.string()),
  /** Indexes into the proposal's `rules` that this match used. */
  rules: z.array(z.number().int()),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const proposalRowSchema = z.object({
  unit: unitRef,
  /** The proposed (or confirmed) lock; null when the row is left for a person. */
  lock: lockRef.nullable(),
  confidence: confidenceSchema,
  reason: proposalReasonSchema,
  score: z.number(),
  /** How far ahead of the next candidate (for this unit and for this lock); 1 when alone. */
  margin: z.number(),
  evidence: evidenceSchema.nullable(),
  /** Other candidate locks, best first (for a tie: the tied ones). */
  alternatives: z.array(z.object({ lock: lockRef, score: z.number() })),
});
export type ProposalRow = z.infer<typeof proposalRowSchema>;

export const proposalTotalsSchema = z.object({
  units: z.number().int(),
  locks: z.number().int(),
  confirmed: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  /** Unmapped locks no row proposes. */
  locksLeft: z.number().int(),
});

export const ruleReportSchema = z.object({
  rule: namingRuleSchema,
  /** `corrections`: shown by the operator's pairs; `site`: common to most lock titles of the site. */
  source: z.enum(['corrections', 'site']),
  /** In English; the review screen words it from `rule` in the user's language. */
  description: z.string(),
  /** Proposed rows whose match used the rule. */
  used: z.number().int(),
});
export type RuleReport = z.infer<typeof ruleReportSchema>;

export const mappingProposalSchema = z.object({
  locationId: z.string(),
  /** Rows grouped by confidence, in the order of `confidenceLevels`; inside a group by unit name. */
  groups: z.array(z.object({ confidence: confidenceSchema, rows: z.array(proposalRowSchema) })),
  rules: z.array(ruleReportSchema),
  totals: proposalTotalsSchema,
});
export type MappingProposal = z.infer<typeof mappingProposalSchema>;

/** An operator's choice: this unit gets this lock, or (null) no lock from this proposal. */
export const correctionSchema = z.object({ unitId: z.string().uuid(), lockId: z.string().uuid().nullable() });
export type Correction = z.infer<typeof correctionSchema>;

export const MAX_CORRECTIONS = 10_000;
export const correctionsInputSchema = z.object({ corrections: z.array(correctionSchema).max(MAX_CORRECTIONS).default([]) });

/** The rows the operator ticked; `replace` must be ticked on each row that moves a mapped lock or unit. */
export const applyProposalInputSchema = z.object({
  rows: z
    .array(z.object({ unitId: z.string().uuid(), lockId: z.string().uuid(), replace: z.boolean().default(false) }))
    .min(1)
    .max(MAX_CORRECTIONS),
  dryRun: z.boolean().default(true),
});
export type ApplyProposalInput = z.input<typeof applyProposalInputSchema>;

/** The download's third column, after the mapping file's two; the import reads past it (OPTIONAL_MAPPING_FILE_HEADERS). */
export const CONFIDENCE_HEADER = 'Confidence';
export const PROPOSAL_FILE_HEADERS = ['Tapkey Lock ID', 'Kinnovis Unit Name', CONFIDENCE_HEADER] as const;
