import type { Translate } from '../ui-context.ts';
import type { LockChoice } from './api.ts';

const lockName = (lock: { title: string; id: string }) => lock.title || lock.id;

/** Locks as picker items, tagged with the unit each is mapped to and where it came from. */
export function lockChoices(locks: LockChoice[], unitExternalId: string, t: Translate) {
  return locks.map((lock) => {
    const mine = lock.mappedTo?.externalId === unitExternalId;
    const tags = [
      ...(mine ? [t('mapping.tag.current')] : []),
      ...(lock.mappedTo && !mine ? [t('mapping.tag.mapped', { unit: lock.mappedTo.name })] : []),
      ...(lock.source === 'captured' ? [t('mapping.tag.captured')] : []),
    ];
    return { id: lock.id, lock, label: lockName(lock), searchable: [lock.id], tags };
  });
}
