/** The mapping port over the background's messages (portal and manager pages). */
import { bridgeErrorOf } from '../describe-error.ts';
import type { Send } from '../ui-context.ts';
import { MappingConflictError, type UnitMappingApi } from './api.ts';

export function messageMappingApi(send: Send): UnitMappingApi {
  return {
    units: () => send({ type: 'listUnits' }),
    // The background lists every lock (of the unit's location); the picker narrows them as the user types.
    locks: (_search, unitExternalId) => send({ type: 'listLocks', ...(unitExternalId ? { unitExternalId } : {}) }),
    async save(change) {
      try {
        const result = await send({ type: 'saveMapping', ...change });
        return result.status === 'saved' ? { status: 'saved', mapping: result.mapping } : { status: 'queued' };
      } catch (error) {
        const e = bridgeErrorOf(error);
        if (e.code === 'conflict' && e.conflict) throw new MappingConflictError(e.message, e.conflict);
        throw error;
      }
    },
  };
}
