import type { Signal } from '@preact/signals';
import type { CapturedLock } from '../lib/messages.ts';
import { CaptureLocksButton } from './CaptureLocksButton.tsx';
import type { LockOnPage } from './MapLockDialog.tsx';
import { MapLockButton } from './MapLockButton.tsx';

export type PortalPage = { kind: 'none' } | { kind: 'lock'; lock: LockOnPage } | { kind: 'list'; locks: CapturedLock[] };

/** What the portal content script shows for the page the admin is on. */
export function TapkeyPortalPanel({ page }: { page: Signal<PortalPage> }) {
  const p = page.value;
  if (p.kind === 'lock') return <MapLockButton key={p.lock.id} lock={p.lock} />;
  if (p.kind === 'list') return <CaptureLocksButton locks={p.locks} />;
  return null;
}
