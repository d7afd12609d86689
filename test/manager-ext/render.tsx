/** Renders a component with the UI context and a fake background that records what it was asked. */
import { render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { ManagerDialogsContext } from '../../components/manager/dialogs.ts';
import { eagerManagerDialogs } from '../../components/manager/eager-dialogs.ts';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import { BridgeRequestError, type AnyMessageInput, type BridgeError, type Send } from '../../lib/messages.ts';

export type Reply = (message: AnyMessageInput) => unknown;

/** Thrown by a `Reply` to answer like the background does with an error. */
export const bridgeError = (error: Partial<BridgeError> & Pick<BridgeError, 'kind' | 'message'>) => new BridgeRequestError({ fieldErrors: [], ...error });

export function renderWithUi(ui: ComponentChildren, reply: Reply, lang: Language = 'en') {
  const sent: AnyMessageInput[] = [];
  const send = (async (m: AnyMessageInput) => {
    sent.push(m);
    return reply(m);
  }) as Send;
  const result = render(
    <UiContext.Provider value={createUi(lang, send, translate)}>
      <ManagerDialogsContext.Provider value={eagerManagerDialogs}>{ui}</ManagerDialogsContext.Provider>
    </UiContext.Provider>,
  );
  return { ...result, sent };
}
