/**
 * Field schemas the message schemas share. Part of the message protocol (lib/messages.ts).
 */
import { z } from 'zod';
import { lockIdSchema } from '../lock-id.ts';
import { isoDateSchema } from '../dates.ts';
import { isSafeLinkUrl } from '../safe-url.ts';

// Schemas are built from `z.…` chains only (no calls on derived schemas at top level), so
// the bundler can drop them from the content script, which sends but never parses.
export const httpUrl = () =>
  z
    .string()
    .trim()
    .max(2000)
    .url('Enter a full URL, e.g. https://api.example.com')
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'Use an http:// or https:// URL');

/** An origin the user adds for the portal; stored normalised (`https://host[:port]`). */
export const originSchema = z.pipe(httpUrl(), z.transform((u: string) => new URL(u).origin));

// The page address is stored with the lock: https only, as the API's contract wants it (lib/safe-url.ts).
export const lockOnPageShape = () => ({ title: z.string().trim().max(200), pageUrl: z.string().max(2000).refine(isSafeLinkUrl, 'Only https:// page addresses') });

export const capturedLockSchema = z.object({ id: lockIdSchema, ...lockOnPageShape() });
export type CapturedLock = z.infer<typeof capturedLockSchema>;

export const queueItemId = z.string().min(1).max(100);

// Built from `z.…` chains only, like the schemas above (a helper's result is wrapped, as in
// `z.nullable(pageText())`, never chained on): importing lib/site-profile/ or
// lib/mapping-file.ts here would put their schemas and every translation into the portal
// content script. What these leave open (a profile's inner structure, the file's size) the
// handlers check with those modules' schemas before anything else.
export const externalIdField = () => z.string().trim().min(1).max(200);
export const pageText = () => z.string().min(1).max(200);
// The one date schema (lib/dates.ts, no translations): real calendar dates in a sane year range.
export const isoDate = () => isoDateSchema;
export const profileId = () => z.string().min(1).max(63);
/** Checked with `siteProfileSchema` by the handler, whose field errors the editor shows. */
export const profileDraft = () => z.record(z.string(), z.unknown());
