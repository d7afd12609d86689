import { z } from 'zod';

export { candidateUuids, extractLockId, extractOwnerAccountId, namedLockId } from './lock-url.ts';

/** A Tapkey lock ID is the bound lock's `id`, a UUID (e.g. ea610634-4fc0-4084-85b2-bebf52c3595f). */
export const lockIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Must be a Tapkey lock ID (a UUID)');
