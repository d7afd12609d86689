/** The manager dialogs bundled with their host (tests, extension pages): no loading step. */
import { BookingDialog } from '../keycafe/BookingDialog.tsx';
import type { ManagerDialogs } from './dialogs.ts';
import { LockPickerDialog } from './LockPickerDialog.tsx';

export const eagerManagerDialogs: ManagerDialogs = { LockPicker: LockPickerDialog, KeycafeBooking: BookingDialog };
