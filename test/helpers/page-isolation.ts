/**
 * For happy-dom tests of the real content scripts, whose UI sits in a closed shadow root and
 * acts only on trusted events (components/trusted-events.ts):
 *  - `shadowRootOf(host)`: the root our script attached, recorded from `attachShadow` (the
 *    test owns the environment; the page sees `host.shadowRoot === null`);
 *  - `userEventsAreTrusted()`: in a browser the user's own input is `isTrusted`; happy-dom has
 *    no such flag, so every event dispatched in the test (Testing Library's) stands for the
 *    user's and is marked trusted — except those made with `pageEvent`, which stand for a page
 *    script's and stay untrusted.
 */
const roots = new WeakMap<Element, ShadowRoot>();
let recording = false;

export function recordShadowRoots(): void {
  if (recording) return;
  recording = true;
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  };
}

export function shadowRootOf(host: Element | null | undefined): ShadowRoot | null {
  return (host && roots.get(host)) ?? null;
}

let trusted = false;

export function userEventsAreTrusted(): void {
  if (trusted) return;
  trusted = true;
  // happy-dom's own EventTarget (the global one may be Node's), under every DOM node.
  const proto = Object.getPrototypeOf(Node.prototype) as EventTarget;
  const dispatch = proto.dispatchEvent;
  proto.dispatchEvent = function (this: EventTarget, event: Event) {
    if (!Object.getOwnPropertyDescriptor(event, 'isTrusted')) Object.defineProperty(event, 'isTrusted', { value: true });
    return dispatch.call(this, event);
  };
}

/** An event as a page script makes it (`new MouseEvent(…)` then `dispatchEvent`): never trusted. */
export function pageEvent<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: false });
  return event;
}
