/**
 * The manager dialogs for the content script: their code is not in the page-load script. On a
 * first open the background injects entrypoints/manager-dialogs.tsx into this frame's isolated
 * world (the `managerDialogs` message; no web-accessible file), which leaves a mounter on that
 * world's global; the dialog then renders into a container in our shadow root, with the same
 * `ui` (language, strings, channel to the background).
 */
import { useEffect, useRef } from 'preact/hooks';
import { useUi, type Ui } from '../ui-context.ts';
import type { ManagerDialogs } from './dialogs.ts';

export type DialogKind = keyof ManagerDialogs;

/** What entrypoints/manager-dialogs.tsx leaves on the isolated world's global. */
export interface DialogMounter {
  /** Renders dialog `kind` with `props` into `container`; returns its unmount. */
  mount(kind: DialogKind, container: HTMLElement, props: object, ui: Ui): () => void;
}

export const DIALOGS_GLOBAL = '__accessbridgeManagerDialogs';

type Global = { [DIALOGS_GLOBAL]?: DialogMounter };

let loading: Promise<DialogMounter> | null = null;

/** The mounter, injected once per page (again after a failed try). */
function loadDialogs(ui: Ui): Promise<DialogMounter> {
  const present = (globalThis as Global)[DIALOGS_GLOBAL];
  if (present) return Promise.resolve(present);
  loading ??= ui.send({ type: 'managerDialogs' }).then(() => {
    const mounter = (globalThis as Global)[DIALOGS_GLOBAL];
    if (!mounter) throw new Error('AccessBridge: the dialog code did not load.');
    return mounter;
  });
  loading.catch(() => (loading = null));
  return loading;
}

function lazyDialog<K extends DialogKind>(kind: K): ManagerDialogs[K] {
  function LazyDialog(props: { onClose: (result: null) => void }) {
    const ui = useUi();
    const container = useRef<HTMLDivElement>(null);
    useEffect(() => {
      let unmount: (() => void) | null = null;
      let closed = false;
      loadDialogs(ui).then(
        (mounter) => {
          if (!closed && container.current) unmount = mounter.mount(kind, container.current, props, ui);
        },
        (error: unknown) => {
          // The extension was updated or reloaded meanwhile: the opener gets its focus back.
          console.warn('AccessBridge: could not open the dialog', error);
          if (!closed) props.onClose(null);
        },
      );
      return () => {
        closed = true;
        unmount?.();
      };
    }, []);
    return <div ref={container} style={{ display: 'contents' }} />;
  }
  return LazyDialog as unknown as ManagerDialogs[K];
}

export const lazyManagerDialogs: ManagerDialogs = { LockPicker: lazyDialog('LockPicker'), KeycafeBooking: lazyDialog('KeycafeBooking') };
