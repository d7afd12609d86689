/**
 * The injected side of components/lazy-dialogs.tsx, for a dialogs script (e.g.
 * entrypoints/manager-dialogs.tsx): leaves the mounter on the isolated world's global. The
 * script bundles its own copy of the message and error classes, which the dialogs recognise
 * with instanceof: they talk to the background through this copy, not the content script's.
 */
import { render, type ComponentChildren } from 'preact';
import { sendMessage } from '../lib/messages/send.ts';
import type { DialogMounter, DialogsScript } from './lazy-dialogs.tsx';
import { UiContext, type Ui } from './ui-context.ts';

/** `content`: what to render for dialog `kind` with the content script's `props`, in `ui`. */
export function exposeDialogs(script: DialogsScript, content: (kind: string, props: object, ui: Ui) => ComponentChildren): void {
  const mounter: DialogMounter = {
    mount(kind, container, props, ui) {
      const own = { ...ui, send: sendMessage };
      // Rendering into the same container again diffs, so the dialog keeps its state.
      const draw = (next: object) => render(<UiContext.Provider value={own}>{content(kind, next, own)}</UiContext.Provider>, container);
      draw(props);
      return { update: draw, unmount: () => render(null, container) };
    },
  };
  (globalThis as Record<string, unknown>)[script.global] = mounter;
}
