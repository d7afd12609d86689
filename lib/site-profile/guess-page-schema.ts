/**
 * What one open tab says about the manager (`guessPage`, ./guess-page.ts): plain data, sent
 * from the tab to the background, which checks it with this schema. Apart from the guesser,
 * which runs in the tab and carries no zod.
 */
import { z } from 'zod';
import { dateOrders } from '../dates.ts';
import { strategySchema } from './schema.ts';

/** What one open tab says about the manager: plain data, sent from the tab to the background. */
export const pageGuessSchema = z.object({
  kind: z.enum(['unit', 'booking']).nullable(),
  urlPattern: z.string().max(300).nullable(),
  /** How a link to this page gives its ID (for a booking's link to its unit). */
  link: z.object({ selector: z.string().max(300), regex: z.string().max(300) }).nullable(),
  /** URL patterns of the other kind of page, from this page's links. */
  linked: z.object({ unit: z.string().max(300).nullable(), booking: z.string().max(300).nullable() }),
  /** Per field, the ways to read it that gave a usable value here. */
  fields: z.record(z.string().max(20), z.array(strategySchema).max(6)),
  /** How numeric dates on the page are written, when a date shows it (13/01 or 01/13). */
  dateOrder: z.enum(dateOrders).nullable(),
  /** The page's language (`<html lang>`), for the order of labels on pages no tab showed. */
  language: z.string().max(35).nullable(),
});
export type PageGuess = z.infer<typeof pageGuessSchema>;

