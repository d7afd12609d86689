/** Every call that reached the sandbox Keycafe, with its arrival time on the sandbox clock. */
import { CallLog as SharedCallLog, type CallRecord as SharedCallRecord } from '../shared/calls.ts';

export interface CallRecord extends SharedCallRecord {
  query: string;
  account: string | null;
  /** HTTP status sent, or what happened instead. */
  status: number | 'dropped' | 'timeout';
  /** `kind:before` or `kind:after`. */
  fault: string | null;
}

export class CallLog extends SharedCallLog<CallRecord> {}
