/**
 * Our content scripts' UI sits in the page, whose own scripts can dispatch events. Only events
 * the browser made for a user (`isTrusted`) may reach our handlers: a capture listener on the
 * shadow root stops every synthetic one before the target's listeners run, so a page cannot
 * click "Grant access", submit, type a recipient or press Escape on the user's behalf.
 */

/** Events that act (activation, form, keyboard, pointer, value changes). */
export const GUARDED_EVENTS = [
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'touchstart',
  'touchend',
  'keydown',
  'keyup',
  'keypress',
  'beforeinput',
  'input',
  'change',
  'submit',
  'reset',
  'paste',
  'drop',
] as const;

function stopUntrusted(event: Event) {
  if (event.isTrusted) return;
  event.stopImmediatePropagation();
  event.preventDefault();
}

/** Installs the guard on `root` (our shadow root); returns its removal. */
export function acceptTrustedEventsOnly(root: ShadowRoot | Element): () => void {
  for (const type of GUARDED_EVENTS) root.addEventListener(type, stopUntrusted, true);
  return () => {
    for (const type of GUARDED_EVENTS) root.removeEventListener(type, stopUntrusted, true);
  };
}
