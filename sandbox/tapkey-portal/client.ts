/**
 * The fake Tapkey web portal's single-page app (runs in the browser; served transpiled by
 * ./index.ts). Shaped like a portal SPA: it renders after the URL changes, from a short
 * "loading" state, and navigates with the history API without reloading. Lock detail pages
 * carry the lock ID in three URL shapes so the extension's extractor is exercised:
 *   /owners/<ownerId>/locks/<lockId>      (history API)
 *   /#/owners/<ownerId>/locks/<lockId>    (hash routing)
 *   /lock-details?id=<lockId>             (no `locks` segment: the extractor's fallback)
 * Pages that carry a UUID but show no lock, which the extension must not take for lock pages:
 *   /owners/<ownerId>/settings            (the seed's "Locking System Settings", showing the
 *                                          "Locking system id"; the path is an assumption)
 *   /owners/<ownerId>/users/<userId>      (a user of the locking system; path assumed alike)
 * All page data is set with textContent.
 */
interface PortalLock {
  id: string;
  title: string;
}
interface PortalData {
  ownerId: string;
  ownerName: string;
  locks: PortalLock[];
  renderDelayMs: number;
}

type Route = { page: 'list' } | { page: 'lock'; lockId: string } | { page: 'home' } | { page: 'settings' } | { page: 'user'; userId: string } | { page: 'missing' };

const data = JSON.parse(document.getElementById('portal-data')!.textContent!) as PortalData;
const app = document.getElementById('app')!;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

const listPath = () => `/owners/${data.ownerId}/locks`;
const lockPath = (id: string) => `/owners/${data.ownerId}/locks/${id}`;

function route(): Route {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : null;
  const path = hash ?? location.pathname;
  const lock = new RegExp(`^/owners/[^/]+/locks/(${UUID})/?$`, 'i').exec(path);
  if (lock) return { page: 'lock', lockId: lock[1]!.toLowerCase() };
  if (/^\/owners\/[^/]+\/locks\/?$/.test(path)) return { page: 'list' };
  if (/^\/owners\/[^/]+\/settings\/?$/.test(path)) return { page: 'settings' };
  const user = new RegExp(`^/owners/[^/]+/users/(${UUID})/?$`, 'i').exec(path);
  if (user) return { page: 'user', userId: user[1]!.toLowerCase() };
  if (path === '/lock-details') {
    const id = new URLSearchParams(location.search).get('id');
    return id && new RegExp(`^${UUID}$`, 'i').test(id) ? { page: 'lock', lockId: id.toLowerCase() } : { page: 'missing' };
  }
  if (path === '/' || path === '') return { page: 'home' };
  return { page: 'missing' };
}

function spaLink(text: string, href: string): HTMLAnchorElement {
  const a = el('a', text, { href });
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    history.pushState(null, '', href);
    void render();
  });
  return a;
}

function renderList(main: HTMLElement) {
  main.append(el('h1', 'Locks'), el('p', `${data.locks.length} locks in ${data.ownerName}`));
  const table = el('table', undefined, { 'aria-label': 'Locks' });
  const head = el('tr');
  head.append(el('th', 'Title'), el('th', 'Lock type'), el('th', 'Status'));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const lock of data.locks) {
    const row = el('tr');
    const title = el('td');
    title.append(spaLink(lock.title, lockPath(lock.id)));
    row.append(title, el('td', 'TK.Td30'), el('td', 'Active'));
    table.tBodies[0]!.append(row);
  }
  main.append(table);
}

function renderLock(main: HTMLElement, lockId: string) {
  const index = data.locks.findIndex((l) => l.id === lockId);
  const lock = data.locks[index];
  if (!lock) {
    main.append(el('h1', 'Lock not found'), spaLink('Back to locks', listPath()));
    return;
  }
  const nav = el('nav', undefined, { 'aria-label': 'Breadcrumb' });
  nav.append(spaLink('Locks', listPath()));
  main.append(nav, el('h1', lock.title));
  const details = el('dl');
  for (const [k, v] of [
    ['Lock ID', lock.id],
    ['Lock type', 'TK.Td30'],
    ['Owner', data.ownerName],
    ['Status', 'Active'],
  ] as const) details.append(el('dt', k), el('dd', v));
  main.append(details);
  const next = data.locks[(index + 1) % data.locks.length]!;
  const links = el('p');
  links.append(spaLink(`Next lock: ${next.title}`, lockPath(next.id)), el('span', ' · '), el('a', 'Open in legacy view', { href: `/lock-details?id=${lock.id}` }), el('span', ' · '));
  const hashLink = el('a', 'Permalink', { href: `/#${lockPath(lock.id)}` });
  links.append(hashLink);
  main.append(links, el('h2', 'Grants'), el('p', 'No grants for this lock.'));
}

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  const r = route();
  if (r.page === 'home') {
    history.replaceState(null, '', listPath());
    return render();
  }
  app.replaceChildren(el('p', 'Loading…', { role: 'status' }));
  // Like the real portal, the page arrives after the URL changed (data is "fetched").
  await new Promise((resolve) => setTimeout(resolve, data.renderDelayMs));
  if (seq !== renderSeq) return;
  const main = el('main');
  if (r.page === 'list') renderList(main);
  else if (r.page === 'lock') renderLock(main, r.lockId);
  else if (r.page === 'settings') {
    const dl = el('dl');
    dl.append(el('dt', 'Locking system id'), el('dd', data.ownerId), el('dt', 'Name'), el('dd', data.ownerName));
    main.append(el('h1', 'Locking System Settings'), dl, spaLink('Locks', listPath()));
  } else if (r.page === 'user') main.append(el('h1', 'User'), el('p', `User ID: ${r.userId}`), spaLink('Locks', listPath()));
  else main.append(el('h1', 'Page not found'), spaLink('Back to locks', listPath()));
  app.replaceChildren(main);
  document.title = `${main.querySelector('h1')?.textContent ?? 'Tapkey'} – Tapkey Portal`;
}

window.addEventListener('popstate', () => void render());
window.addEventListener('hashchange', () => void render());
void render();

// A module, so its names stay out of the global scope of the project's type check.
export {};
