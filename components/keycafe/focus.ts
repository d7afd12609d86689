/**
 * Modal focus handling for dialogs that may live in a shadow root (where
 * `document.activeElement` is only the host): keep Tab inside, and give focus back to whatever
 * had it when the dialog opened.
 */
const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** The element that really has focus, looking inside open shadow roots. */
export function deepActiveElement(root: Document | ShadowRoot = document): HTMLElement | null {
  let active = root.activeElement as HTMLElement | null;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement as HTMLElement;
  return active;
}

/**
 * What had focus in the tree `el` lives in. A content script's closed shadow root is not
 * reachable from the document (`host.shadowRoot` is null), so start from the element's own root.
 */
export function activeElementBeside(el: Element | null | undefined): HTMLElement | null {
  return deepActiveElement(el ? (el.getRootNode() as Document | ShadowRoot) : document);
}

/** Wraps Tab / Shift+Tab around the first and last focusable element of `container`. */
export function trapTab(e: KeyboardEvent, container: HTMLElement) {
  if (e.key !== 'Tab') return;
  const focusables = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest('[hidden]'));
  if (!focusables.length) return;
  const first = focusables[0]!;
  const last = focusables[focusables.length - 1]!;
  const active = (container.getRootNode() as Document | ShadowRoot).activeElement;
  if (e.shiftKey && (active === first || active === container)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}
