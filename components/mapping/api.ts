/**
 * What the mapping UI needs from its host, as a port (like components/keycafe/api.ts): the
 * extension answers over background messages (message-api.ts), the widget over its HTTP client
 * (widget/client.ts). The dialogs and the widget's view know only this interface.
 */
import type { Mapping, MappingConflict, Unit } from '../../lib/contract.ts';
import type { LockChoice } from '../../lib/messages.ts';
import { KeycafeApiError } from '../keycafe/api.ts';

export type { LockChoice };

export interface UnitChoices {
  items: Unit[];
  total: number;
  truncated: boolean;
  /** The API could not be reached: this is the list saved earlier. */
  stale: boolean;
}

export interface LockChoices {
  items: LockChoice[];
  total: number;
  truncated: boolean;
}

export interface MappingChange {
  unitExternalId: string;
  unitName: string;
  lockId: string;
  /** Move a lock or unit that is mapped elsewhere (else that answers MappingConflictError). */
  replace: boolean;
  /** The lock as seen on a portal page, recorded when it is not known yet. */
  lock?: { title: string; pageUrl: string };
}

/** `queued`: the API is unreachable; the extension sends the change when it is back. */
export type MappingSaved = { status: 'saved'; mapping: Mapping } | { status: 'queued' };

/** Picking a lock for a unit (manager pages, widget). */
export interface MappingApi {
  /**
   * `search` narrows on the host's side where it searches its server (the widget); the unit,
   * where given, limits the locks to its location's.
   */
  locks(search: string, unitExternalId?: string): Promise<LockChoices>;
  save(change: MappingChange): Promise<MappingSaved>;
}

/** Picking a unit for a lock as well (the portal, where the extension knows the units). */
export interface UnitMappingApi extends MappingApi {
  units(): Promise<UnitChoices>;
}

/** A refused mapping: who already has the lock or the unit (409). */
export class MappingConflictError extends KeycafeApiError {
  constructor(
    message: string,
    readonly conflict: MappingConflict,
  ) {
    super(message, [], false, 409);
    this.name = 'MappingConflictError';
  }
}
