/**
 * Dialogs whose code is not in a content script's page-load bundle. On a first open the
 * background injects the dialogs' script (an unlisted entrypoint, e.g.
 * entrypoints/manager-dialogs.tsx) into this frame's isolated world, asked by the script's own
 * message (no web-accessible file); that script leaves a mounter on the world's global
 * (components/dialogs-script.tsx), which the page cannot see. The dialog then renders into a
 * container in our shadow root, with the same `ui` (language, strings, channel to the
 * background). components/manager/lazy-dialogs.tsx and components/portal/lazy-dialogs.ts use it.
 */
import type { ComponentType } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { AnyMessageInput } from '../lib/messages.ts';
import { useUi, type Ui } from './ui-context.ts';

/** A dialog rendered by a dialogs script, which the stand-in keeps up to date. */
export interface MountedDialog {
  /** Renders it again with the opener's new props (the page's lock got its title, say). */
  update(props: object): void;
  unmount(): void;
}

/** What a dialogs script leaves on the isolated world's global. */
export interface DialogMounter {
  /** Renders dialog `kind` with `props` into `container`. */
  mount(kind: string, container: HTMLElement, props: object, ui: Ui): MountedDialog;
}

/** One dialogs script: the global its mounter sits on, and the message that injects it. */
export interface DialogsScript {
  global: string;
  inject: AnyMessageInput;
}

type Global = Record<string, DialogMounter | undefined>;

const loading = new Map<string, Promise<DialogMounter>>();

/** The script's mounter, injected once per page (again after a failed try). */
function loadDialogs(script: DialogsScript, ui: Ui): Promise<DialogMounter> {
  const present = (globalThis as unknown as Global)[script.global];
  if (present) return Promise.resolve(present);
  let pending = loading.get(script.global);
  if (!pending) {
    pending = ui.send(script.inject).then(() => {
      const mounter = (globalThis as unknown as Global)[script.global];
      if (!mounter) throw new Error('AccessBridge: the dialog code did not load.');
      return mounter;
    });
    loading.set(script.global, pending);
    pending.catch(() => loading.delete(script.global));
  }
  return pending;
}

function lazyDialog(script: DialogsScript, kind: string) {
  return function LazyDialog(props: { onClose: (result: null) => void }) {
    const ui = useUi();
    const container = useRef<HTMLDivElement>(null);
    const mounted = useRef<MountedDialog | null>(null);
    // The opener re-renders the dialog as the page changes while it is open or loading: the
    // real dialog gets the props of the last render, not those of its first.
    const latest = useRef(props);
    latest.current = props;
    useEffect(() => {
      mounted.current?.update(props);
    });
    useEffect(() => {
      let closed = false;
      loadDialogs(script, ui).then(
        (mounter) => {
          if (!closed && container.current) mounted.current = mounter.mount(kind, container.current, latest.current, ui);
        },
        (error: unknown) => {
          // The extension was updated or reloaded meanwhile: the opener gets its focus back.
          console.warn('AccessBridge: could not open the dialog', error);
          if (!closed) latest.current.onClose(null);
        },
      );
      return () => {
        closed = true;
        mounted.current?.unmount();
        mounted.current = null;
      };
    }, []);
    return <div ref={container} style={{ display: 'contents' }} />;
  };
}

/** Stand-ins for the dialogs `kinds` of `script`, each loading the real one on its first render. */
export function lazyDialogs<D extends { [K in keyof D]: ComponentType<any> }>(script: DialogsScript, kinds: readonly (keyof D & string)[]): D {
  return Object.fromEntries(kinds.map((kind) => [kind, lazyDialog(script, kind)])) as unknown as D;
}
