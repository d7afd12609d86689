/**
 * The demo manager's pages, server-rendered. The structure follows what Kinnovis Manager's
 * public help describes (Locations; a unit list and a unit page with a "General" card edited
 * through a pencil icon; bookings with tenant, email, move-in and move-out), with markup of the
 * ordinary kind — cards, definition lists, tables — and no hooks for AccessBridge.
 */
import { html, type Html } from './html.ts';
import type { ManagerBooking, ManagerUnit, ManagerWorld } from './state.ts';

const stateLabel: Record<ManagerBooking['state'], string> = {
  active: 'Active',
  reserved: 'Reserved',
  ended: 'Moved out',
  cancelled: 'Cancelled',
};

/** Dates as a German-speaking manager prints them: 01.02.2026. */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

type Section = 'units' | 'bookings' | 'locations';

export function layout(title: string, section: Section, body: Html): string {
  const nav = (href: string, label: string, key: Section) =>
    html`<a href="${href}" ${key === section ? html`aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Storage Manager</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/units">Storage Manager <small>demo</small></a>
  <nav aria-label="Main">${nav('/locations', 'Locations', 'locations')}${nav('/units', 'Units', 'units')}${nav('/bookings', 'Bookings', 'bookings')}</nav>
  <span class="user">admin@demo-storage.example</span>
</header>
<main id="app">${body}</main>
</body>
</html>`.value;
}

export function unitListPage(world: ManagerWorld, q: string): string {
  const needle = q.trim().toLowerCase();
  const units = needle ? world.units.filter((u) => u.name.toLowerCase().includes(needle) || u.externalId.toLowerCase().includes(needle)) : world.units;
  const rows = units.map((u) => {
    const loc = world.location(u.locationId);
    const occ = world.occupancy(u.externalId);
    return html`<tr>
  <td><a data-spa href="/units/${encodeURIComponent(u.externalId)}">${u.name}</a></td>
  <td>${u.size}</td>
  <td>${loc?.name ?? ''}</td>
  <td><span class="badge badge-${occ.toLowerCase()}">${occ}</span></td>
</tr>`;
  });
  return layout(
    'Units',
    'units',
    html`<h1>Units</h1>
<form class="search" role="search" method="get" action="/units">
  <label for="unit-search">Search units</label>
  <input id="unit-search" name="q" type="search" value="${q}">
  <button type="submit">Search</button>
</form>
<p class="count">${units.length} units</p>
<table class="list">
  <thead><tr><th scope="col">Unit</th><th scope="col">Size</th><th scope="col">Location</th><th scope="col">Status</th></tr></thead>
  <tbody>${rows}</tbody>
</table>`,
  );
}

export function unitPage(world: ManagerWorld, unit: ManagerUnit, saved = false): string {
  const loc = world.location(unit.locationId);
  const { prev, next } = world.neighbours(unit.externalId);
  const bookings = world.bookingsOf(unit.externalId);
  const unitHref = (u: ManagerUnit) => `/units/${encodeURIComponent(u.externalId)}`;
  return layout(
    `Unit ${unit.name}`,
    'units',
    html`<nav class="breadcrumb" aria-label="Breadcrumb"><a data-spa href="/units">Units</a> › <span>${unit.name}</span></nav>
<div class="page-header">
  <h1>Unit ${unit.name}</h1>
  <div class="pager">
    ${prev ? html`<a data-spa rel="prev" href="${unitHref(prev)}">‹ Previous unit</a>` : ''}
    ${next ? html`<a data-spa rel="next" href="${unitHref(next)}">Next unit ›</a>` : ''}
  </div>
</div>
${saved ? html`<p class="flash" role="status">Changes saved.</p>` : ''}
<section class="card" id="general-card" aria-labelledby="general-title">
  <div class="card-header">
    <h2 id="general-title">General</h2>
    <button type="button" class="icon-button" data-open-dialog="edit-general" aria-label="Edit General" title="Edit">✎</button>
  </div>
  <dl class="fields">
    <dt>Unit name</dt><dd class="unit-name">${unit.name}</dd>
    <dt>Unit ID</dt><dd>${unit.externalId}</dd>
    <dt>Size</dt><dd>${unit.size}</dd>
    <dt>Location</dt><dd>${loc?.name ?? ''}</dd>
    <dt>Access Permissions</dt><dd class="access-permissions">${unit.accessPermissions || '—'}</dd>
  </dl>
</section>
<dialog id="edit-general" aria-labelledby="edit-general-title">
  <form method="post" action="${unitHref(unit)}/general">
    <h2 id="edit-general-title">Edit General</h2>
    <label for="edit-name">Unit name</label>
    <input id="edit-name" name="name" required maxlength="200" value="${unit.name}">
    <label for="edit-access">Access Permissions</label>
    <input id="edit-access" name="accessPermissions" maxlength="200" placeholder="Tapkey lock ID" value="${unit.accessPermissions}">
    <div class="actions">
      <button type="button" data-close-dialog>Cancel</button>
      <button type="submit">Save</button>
    </div>
  </form>
</dialog>
<section class="card" aria-labelledby="unit-bookings-title">
  <div class="card-header"><h2 id="unit-bookings-title">Bookings</h2></div>
  ${
    bookings.length
      ? html`<table class="list"><thead><tr><th scope="col">Booking</th><th scope="col">Tenant</th><th scope="col">Move-in</th><th scope="col">Move-out</th><th scope="col">Status</th></tr></thead><tbody>${bookings.map(
          (b) =>
            html`<tr><td><a href="/bookings/${encodeURIComponent(b.externalId)}">${b.externalId}</a></td><td>${b.tenantName}</td><td>${formatDate(b.moveIn)}</td><td>${b.moveOut ? formatDate(b.moveOut) : '—'}</td><td>${stateLabel[b.state]}</td></tr>`,
        )}</tbody></table>`
      : html`<p class="empty">No bookings.</p>`
  }
</section>`,
  );
}

/** Rows per page of the booking list unless `perPage` says otherwise (as a manager's list pages). */
export const BOOKINGS_PER_PAGE = 50;

export function bookingListPage(world: ManagerWorld, state: string, page = 1, perPage = BOOKINGS_PER_PAGE): string {
  const matching = state ? world.bookings.filter((b) => b.state === state) : world.bookings;
  const pages = Math.max(1, Math.ceil(matching.length / perPage));
  const current = Math.min(Math.max(1, page), pages);
  const bookings = matching.slice((current - 1) * perPage, current * perPage);
  const filter = (value: string, label: string) => html`<option value="${value}" ${value === state ? html`selected` : ''}>${label}</option>`;
  const pageHref = (n: number) => `/bookings?${new URLSearchParams({ ...(state ? { state } : {}), page: String(n), ...(perPage !== BOOKINGS_PER_PAGE ? { perPage: String(perPage) } : {}) })}`;
  return layout(
    'Bookings',
    'bookings',
    html`<h1>Bookings</h1>
<form class="search" method="get" action="/bookings">
  <label for="booking-state">Status</label>
  <select id="booking-state" name="state">${filter('', 'All')}${Object.entries(stateLabel).map(([v, l]) => filter(v, l))}</select>
  <button type="submit">Filter</button>
</form>
<p class="count">${matching.length} bookings</p>
<table class="list">
  <thead><tr><th scope="col">Booking</th><th scope="col">Unit</th><th scope="col">Tenant</th><th scope="col">Email</th><th scope="col">Move-in</th><th scope="col">Move-out</th><th scope="col">Status</th></tr></thead>
  <tbody>${bookings.map((b) => {
    const unit = world.unit(b.unitExternalId);
    return html`<tr><td><a href="/bookings/${encodeURIComponent(b.externalId)}">${b.externalId}</a></td><td>${unit ? html`<a href="/units/${encodeURIComponent(unit.externalId)}">${unit.name}</a>` : b.unitExternalId}</td><td>${b.tenantName}</td><td>${b.tenantEmail ? html`<a href="mailto:${b.tenantEmail}">${b.tenantEmail}</a>` : '—'}</td><td>${formatDate(b.moveIn)}</td><td>${b.moveOut ? formatDate(b.moveOut) : '—'}</td><td>${stateLabel[b.state]}</td></tr>`;
  })}</tbody>
</table>
${pages > 1 ? html`<nav class="pager" aria-label="Pages">${current > 1 ? html`<a rel="prev" href="${pageHref(current - 1)}">‹ Previous page</a>` : ''} <span>Page ${String(current)} of ${String(pages)}</span> ${current < pages ? html`<a rel="next" href="${pageHref(current + 1)}">Next page ›</a>` : ''}</nav>` : ''}`,
  );
}

export function bookingPage(world: ManagerWorld, b: ManagerBooking): string {
  const unit = world.unit(b.unitExternalId);
  return layout(
    `Booking ${b.externalId}`,
    'bookings',
    html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/bookings">Bookings</a> › <span>${b.externalId}</span></nav>
<div class="page-header"><h1>Booking ${b.externalId}</h1></div>
<section class="card" id="booking-card" aria-labelledby="booking-title">
  <div class="card-header">
    <h2 id="booking-title">Tenant &amp; dates</h2>
    <span class="badge booking-state badge-${b.state}">${stateLabel[b.state]}</span>
  </div>
  <dl class="fields">
    <dt>Tenant</dt><dd class="tenant-name">${b.tenantName}</dd>
    <dt>Email</dt><dd>${b.tenantEmail ? html`<a class="tenant-email" href="mailto:${b.tenantEmail}">${b.tenantEmail}</a>` : '—'}</dd>
    <dt>Phone</dt><dd>${b.tenantPhone ? html`<a class="tenant-phone" href="tel:${b.tenantPhone.replace(/\s/g, '')}">${b.tenantPhone}</a>` : '—'}</dd>
    <dt>Unit</dt><dd>${unit ? html`<a class="booking-unit" href="/units/${encodeURIComponent(unit.externalId)}">${unit.name}</a>` : b.unitExternalId}</dd>
    <dt>Move-in</dt><dd>${formatDate(b.moveIn)}</dd>
    <dt>Move-out</dt><dd>${b.moveOut ? formatDate(b.moveOut) : '—'}</dd>
  </dl>
</section>`,
  );
}

export function locationsPage(world: ManagerWorld): string {
  return layout(
    'Locations',
    'locations',
    html`<h1>Locations</h1>
<table class="list">
  <thead><tr><th scope="col">Name</th><th scope="col">Time zone</th><th scope="col">Languages</th><th scope="col">Units</th></tr></thead>
  <tbody>${world.locations.map(
    (l) => html`<tr><td>${l.name}</td><td>${l.timeZone}</td><td>${l.languages.join(', ')}</td><td>${world.units.filter((u) => u.locationId === l.id).length}</td></tr>`,
  )}</tbody>
</table>`,
  );
}

export function notFoundPage(what: string): string {
  return layout('Not found', 'units', html`<h1>Not found</h1><p>${what} does not exist.</p><p><a href="/units">Back to units</a></p>`);
}

export function errorPage(message: string, backHref: string): string {
  return layout('Cannot save', 'units', html`<h1>Cannot save</h1><p role="alert">${message}</p><p><a href="${backHref}">Back</a></p>`);
}
