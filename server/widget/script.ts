/**
 * GET /widget.js: the widget bundle (`npm run build:widget` writes it), read once per change
 * of the file and served with an ETag, so browsers revalidate cheaply after max-age.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export const DEFAULT_WIDGET_SCRIPT = resolve(import.meta.dirname, '../../.output/widget/accessbridge-widget.js');

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
