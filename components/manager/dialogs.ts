/**
 * The manager panel's two dialogs, given by the host: the options of the unit's lock picker and
 * the Keycafe booking dialog are most of the manager UI's code (picker, phone metadata, time
 * zones), and a page shows the panel far more often than a dialog. The content script gives
 * versions that load their code on first use (components/manager/lazy-dialogs.tsx); tests and
 * other hosts give the components themselves (components/manager/eager-dialogs.ts).
 */
import type { ComponentType } from 'preact';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { KeycafeApi } from '../keycafe/api.ts';
import type { BookingPrefill } from '../keycafe/draft.ts';
import type { LockPickerDialogProps } from './LockPickerDialog.tsx';

export interface KeycafeDialogProps {
  api: KeycafeApi;
  prefill: BookingPrefill;
  onClose: (made: KeycafeBooking | null) => void;
}

export interface ManagerDialogs {
  LockPicker: ComponentType<LockPickerDialogProps>;
  KeycafeBooking: ComponentType<KeycafeDialogProps>;
}

export const ManagerDialogsContext = createContext<ManagerDialogs | null>(null);

export function useManagerDialogs(): ManagerDialogs {
  const dialogs = useContext(ManagerDialogsContext);
  if (!dialogs) throw new Error('No ManagerDialogsContext: the host gives the manager dialogs.');
  return dialogs;
}
