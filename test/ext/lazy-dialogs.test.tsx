// @vitest-environment happy-dom
/**
 * components/lazy-dialogs.tsx with components/dialogs-script.tsx: the stand-in a content script
 * renders, and the dialogs script the background injects on first use (here: the fake
 * background's answer to the inject message runs it).
 */
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exposeDialogs } from '../../components/dialogs-script.tsx';
import { lazyDialogs, type DialogsScript } from '../../components/lazy-dialogs.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { translate } from '../../lib/i18n/index.ts';
import type { Send } from '../../lib/messages.ts';

afterEach(cleanup);

interface TitleProps {
  title: string;
  onClose: (result: null) => void;
}
type Dialogs = { Title: (props: TitleProps) => preact.JSX.Element };

let scripts = 0;
/** A fresh script (its own global) whose injection waits for `inject.resolve()`. */
function setup() {
  const script: DialogsScript = { global: `__testDialogs${++scripts}`, inject: { type: 'portalDialogs' } };
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const injected = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const send = vi.fn(async () => {
    await injected;
    exposeDialogs(script, (_kind, props) => <h2>{(props as TitleProps).title}</h2>);
    return { injected: true };
  }) as unknown as Send;
  const { Title } = lazyDialogs<Dialogs>(script, ['Title']);
  const ui = createUi('en', send, translate);
  const view = (title: string, onClose = vi.fn()) => (
    <UiContext.Provider value={ui}>
      <Title title={title} onClose={onClose} />
    </UiContext.Provider>
  );
  return { send, view, inject: { resolve, reject } };
}

describe('a dialog loaded on first use', () => {
  it('shows the props of the opener’s last render, also those given while its code was loading', async () => {
    const { send, view, inject } = setup();
    const { rerender } = render(view('Tapkey Portal'));
    // The page's heading arrives after the click: the opener renders the dialog again.
    rerender(view('Unit A-01'));
    inject.resolve();
    const heading = await screen.findByRole('heading', { name: 'Unit A-01' });

    rerender(view('Unit A-01 (door)'));
    await waitFor(() => expect(heading.textContent).toBe('Unit A-01 (door)'));
    // Rendered again in place, not mounted anew: the dialog keeps its state and focus.
    expect(screen.getByRole('heading')).toBe(heading);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('is injected once per page, and its stand-in removes it on close', async () => {
    const { send, view, inject } = setup();
    inject.resolve();
    const first = render(view('Unit A-01'));
    await screen.findByRole('heading', { name: 'Unit A-01' });
    first.unmount();
    expect(screen.queryByRole('heading')).toBeNull();

    render(view('Unit A-02'));
    await screen.findByRole('heading', { name: 'Unit A-02' });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('closes, giving the opener its focus back, when the code cannot be injected', async () => {
    const { view, inject } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const onClose = vi.fn();
    render(view('Unit A-01', onClose));
    inject.reject(new Error('Extension context invalidated.'));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(null));
    expect(screen.queryByRole('heading')).toBeNull();
    warn.mockRestore();
  });
});
