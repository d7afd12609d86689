/** A problem (./problems.ts) as a zod schema, for the side that receives one; page code imports only its types. */
import { z } from 'zod';
import { MAX_TRIED, problemCodes } from './problems.ts';

const triedSchema = z.object({ code: z.enum(problemCodes), params: z.record(z.string(), z.string().max(1000)) });
export type Tried = z.infer<typeof triedSchema>;

/** `field` is e.g. `unit.name`; `strategy` the fallback's index; `tried` each candidate's failure. */
export const problemSchema = z.object({
  field: z.string().max(40),
  code: z.enum(problemCodes),
  strategy: z.number().int().min(0).optional(),
  params: z.record(z.string(), z.string().max(1000)),
  tried: z.array(triedSchema).max(MAX_TRIED).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

