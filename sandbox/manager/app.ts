/**
 * The demo manager as a Hono app. Deliberately sends no Content-Security-Policy: a real manager
 * may not, and a CSP would hide an extension that inserted page text as HTML from the
 * security tests that open the hostile unit.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { bookingListPage, bookingPage, errorPage, locationsPage, notFoundPage, unitListPage, unitPage } from './pages.ts';
import type { ManagerWorld } from './state.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

export interface ManagerAppOptions {
  /** Delay for the single-page navigation's content fetch, to test content that arrives late. */
  spaDelayMs?: number;
}

export function createManagerApp(world: ManagerWorld, opts: ManagerAppOptions = {}) {
  const app = new Hono();
  const assets = { 'app.js': asset('app.js'), 'style.css': asset('style.css') };
  const types = { 'app.js': 'text/javascript; charset=utf-8', 'style.css': 'text/css; charset=utf-8' };

  app.get('/assets/:name', (c) => {
    const name = c.req.param('name') as keyof typeof assets;
    if (!(name in assets)) return c.text('Not found', 404);
    return c.body(assets[name], 200, { 'Content-Type': types[name], 'Cache-Control': 'no-cache' });
  });

  app.use('*', async (c, next) => {
    if (opts.spaDelayMs && c.req.header('x-requested-with') === 'spa') await new Promise((r) => setTimeout(r, opts.spaDelayMs));
    await next();
  });

  app.get('/', (c) => c.redirect('/units'));
  app.get('/locations', (c) => c.html(locationsPage(world)));
  app.get('/units', (c) => c.html(unitListPage(world, c.req.query('q') ?? '')));
  app.get('/units/:id', (c) => {
    const unit = world.unit(c.req.param('id'));
    return unit ? c.html(unitPage(world, unit, c.req.query('saved') === '1')) : c.html(notFoundPage(`Unit ${c.req.param('id')}`), 404);
  });

  // The "General" card's pencil dialog posts here.
  app.post('/units/:id/general', async (c) => {
    const unit = world.unit(c.req.param('id'));
    if (!unit) return c.html(notFoundPage(`Unit ${c.req.param('id')}`), 404);
    const form = await c.req.parseBody();
    const name = typeof form.name === 'string' ? form.name.trim() : '';
    const access = typeof form.accessPermissions === 'string' ? form.accessPermissions.trim() : '';
    const back = `/units/${encodeURIComponent(unit.externalId)}`;
    if (!name || name.length > 200) return c.html(errorPage('The unit name is required (at most 200 characters).', back), 400);
    if (access.length > 200) return c.html(errorPage('Access Permissions is at most 200 characters.', back), 400);
    unit.name = name;
    unit.accessPermissions = access;
    return c.redirect(`${back}?saved=1`, 303);
  });

  app.get('/bookings', (c) => {
    const int = (v: string | undefined, max: number) => (v && /^\d{1,5}$/.test(v) ? Math.min(Math.max(1, Number(v)), max) : undefined);
    return c.html(bookingListPage(world, c.req.query('state') ?? '', int(c.req.query('page'), 100_000) ?? 1, int(c.req.query('perPage'), 1000)));
  });
  app.get('/bookings/:id', (c) => {
    const booking = world.booking(c.req.param('id'));
    return booking ? c.html(bookingPage(world, booking)) : c.html(notFoundPage(`Booking ${c.req.param('id')}`), 404);
  });

  app.notFound((c) => c.html(notFoundPage('This page'), 404));
  return app;
}
