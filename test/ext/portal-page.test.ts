// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyPage, lockLinks, mainHeading, pageTitle } from '../../entrypoints/tapkey.content/page.ts';

const OWNER = '7d2f3c1e-0b5a-4c7e-9f1a-2b3c4d5e6f70';
const A = 'ea610634-4fc0-4084-85b2-bebf52c3595f';
const B = 'bd2d5ff1-35f2-4a5e-9d1c-03e3a0f1a111';
const C = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const base = 'https://my.tapkey.com';

function page(html: string, title = 'Tapkey Portal') {
  document.body.innerHTML = html;
  document.title = title;
}

beforeEach(() => page(''));

describe('classifyPage', () => {
  it('reads the lock and its title from a detail page (path, hash and query shapes)', () => {
    page('<h1>  Unit\n A-12 </h1><a href="/owners/' + OWNER + '/locks">Locks</a>');
    for (const url of [`${base}/owners/${OWNER}/locks/${A}`, `${base}/#/owners/${OWNER}/locks/${A}`, `${base}/boundlocks/${A.toUpperCase()}/grants`, `${base}/lock-details?id=${A}`]) {
      expect(classifyPage(document, url), url).toEqual({ kind: 'lock', lock: { id: A, title: 'Unit A-12', pageUrl: url } });
    }
  });

  it('finds a list page by its lock links, ignoring the owner ID every link carries', () => {
    page(`<h1>Locks</h1><nav><a href="/owners/${OWNER}">Owner</a></nav>
      <a href="/owners/${OWNER}/locks/${A}">Unit A-12</a>
      <a href="/owners/${OWNER}/locks/${B}"><span>Main</span> entrance</a>
      <a href="/owners/${OWNER}/locks/${B}">details</a>
      <a href="/owners/${OWNER}/locks/${C}" aria-label="Loading bay"></a>`);
    expect(classifyPage(document, `${base}/owners/${OWNER}/locks`)).toEqual({
      kind: 'list',
      locks: [
        { id: A, title: 'Unit A-12', pageUrl: `${base}/owners/${OWNER}/locks/${A}` },
        { id: B, title: 'Main entrance', pageUrl: `${base}/owners/${OWNER}/locks/${B}` },
        { id: C, title: 'Loading bay', pageUrl: `${base}/owners/${OWNER}/locks/${C}` },
      ],
    });
  });

  it('uses links that only carry a UUID when none names a lock', () => {
    page(`<a href="/lock-details?id=${A}">A</a><a href="/lock-details?id=${B}">B</a><a href="javascript:void('${C}')">x</a>`);
    expect(classifyPage(document, `${base}/all`)).toMatchObject({ kind: 'list', locks: [{ id: A }, { id: B }] });
  });

  it('keeps a detail page with a link to the next lock and to its owner a detail page', () => {
    page(`<h1>A05 door</h1><a href="/owners/${OWNER}/locks">Locks</a><a href="/owners/${OWNER}/locks/${B}">Next</a><a href="/owners/${OWNER}">Owner</a>`);
    expect(classifyPage(document, `${base}/lock-details?id=${A}`)).toMatchObject({ kind: 'lock', lock: { id: A, title: 'A05 door' } });
  });

  it('takes neither the locking system settings page nor a user page for a lock', () => {
    const USER = '5c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5';
    page('<h1>Locking system settings</h1>');
    expect(classifyPage(document, `${base}/owners/${OWNER}/settings`)).toEqual({ kind: 'none' });
    expect(classifyPage(document, `${base}/#/owners/${OWNER}/settings`)).toEqual({ kind: 'none' });
    page('<h1>Anna Müller</h1>');
    expect(classifyPage(document, `${base}/owners/${OWNER}/users/${USER}`)).toEqual({ kind: 'none' });
    expect(classifyPage(document, `${base}/users/${USER}`)).toEqual({ kind: 'none' });
    // A bare UUID is a lock only when the organization knows it as one.
    page('<h1>Side door</h1>');
    expect(classifyPage(document, `${base}/x/${A}`)).toEqual({ kind: 'none' });
    expect(classifyPage(document, `${base}/x/${A}`, new Set([A]))).toEqual({ kind: 'lock', lock: { id: A, title: 'Side door', pageUrl: `${base}/x/${A}` } });
    // Known locks never turn an owner's or a user's UUID into a lock.
    expect(classifyPage(document, `${base}/owners/${A}/settings`, new Set([A]))).toEqual({ kind: 'none' });
  });

  it('is nothing on pages without a lock', () => {
    page('<h1>Users</h1><a href="/owners/1/users">Users</a>');
    expect(classifyPage(document, `${base}/owners/1/users`)).toEqual({ kind: 'none' });
    expect(classifyPage(document, 'not a url')).toEqual({ kind: 'none' });
  });
});

describe('titles', () => {
  it('prefers the main heading, then the document title', () => {
    page('<h2>Other</h2><div role="heading" aria-level="1">Storage A-03</div>', 'Doc');
    expect(mainHeading(document)).toBe('Storage A-03');
    page('<h2>Other</h2>', 'Lock 7 – Tapkey');
    expect(mainHeading(document)).toBe('');
    expect(pageTitle(document)).toBe('Lock 7 – Tapkey');
  });

  it('caps titles at 200 characters', () => {
    page(`<a href="/locks/${A}">${'x'.repeat(300)}</a><a href="/locks/${B}">b</a>`);
    expect(lockLinks(document, `${base}/`)[0]!.title).toHaveLength(200);
  });
});
