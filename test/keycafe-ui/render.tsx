/** Renders the booking dialog as a host would: in a UiContext, with a fake KeycafeApi. */
import { render } from '@testing-library/preact';
import { vi } from 'vitest';
import { BookingDialog } from '../../components/keycafe/BookingDialog.tsx';
import type { BookingPrefill } from '../../components/keycafe/draft.ts';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import { createFakeApi, type FakeApi, type FakeOptions } from './fake-api.ts';

export interface RenderOptions extends FakeOptions {
  lang?: Language;
  prefill?: BookingPrefill;
  fake?: FakeApi;
}

const noSend = () => Promise.reject(new Error('The Keycafe dialog sends no extension messages'));

export function renderDialog(opts: RenderOptions = {}) {
  const fake = opts.fake ?? createFakeApi(opts);
  const onClose = vi.fn();
  const onBooked = vi.fn();
  const ui = createUi(opts.lang ?? 'en', noSend as never, translate);
  const result = render(
    <UiContext.Provider value={ui}>
      <BookingDialog api={fake.api} prefill={opts.prefill} onClose={onClose} onBooked={onBooked} pollMs={5} />
    </UiContext.Provider>,
  );
  return { ...result, fake, onClose, onBooked };
}
