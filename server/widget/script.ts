/**
 * The widget's files, as `npm run build:widget` writes them (widget/vite.config.ts):
 *  - GET /widget.js: the script pages link, read once per change of the file and served with an
 *    ETag, so browsers revalidate cheaply after max-age;
 *  - GET /widget-chunks/<file>.js: the ES module chunks it imports on a view's first use, from
 *    beside it. Their names carry a hash of their content, so they are cached for good.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_WIDGET_SCRIPT = resolve(import.meta.dirname, '../../.output/widget/accessbridge-widget.js');

/** The chunks' folder beside the script, and their URL path beside /widget.js. */
export const WIDGET_CHUNK_DIR = 'widget-chunks';

export interface WidgetScript {
  body: string;
  etag: string;
}

const cache = new Map<string, { mtimeMs: number; size: number; script: WidgetScript }>();

/** The built script, or null when it has not been built. */
export async function loadWidgetScript(path: string): Promise<WidgetScript | null> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return null;
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.script;
  const body = await readFile(path, 'utf8');
  const script = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, script });
  return script;
}

/** A chunk's file name as the build writes it: no path, nothing to climb out of the folder with. */
const chunkName = /^[\w-]+\.js$/;

/** A built chunk beside the script at `scriptPath`, or null when there is no such chunk. */
export function loadWidgetChunk(scriptPath: string, file: string): Promise<WidgetScript | null> {
  return chunkName.test(file) ? loadWidgetScript(join(dirname(scriptPath), WIDGET_CHUNK_DIR, file)) : Promise.resolve(null);
}

/**
 * Headers of both: public code loaded by other sites' pages (the chunks as module scripts, so
 * with CORS; the script also with crossorigin or under COEP).
 */
export function widgetFileHeaders(file: WidgetScript, cacheControl: string): Record<string, string> {
  return {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': cacheControl,
    ETag: file.etag,
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
}

/** Whether an If-None-Match header names this file's ETag. */
export const matchesEtag = (header: string | undefined, file: WidgetScript) =>
  Boolean(header?.split(',').some((t) => t.trim() === file.etag || t.trim() === `W/${file.etag}`));
