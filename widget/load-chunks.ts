/**
 * widget/load-view.ts as built (widget/vite.config.ts swaps it in): the views and the strings
 * are ES module chunks beside the script (widget-chunks/), named in the manifest the build
 * defines, and imported from the URL of the script that defined the element, so from its
 * origin and its build.
 */
import type { LoadView } from './load-view.ts';

/** Chunk name (a view, or `strings-<lang>`) → its file and the files it imports, relative to the script. */
declare const __ACCESSBRIDGE_WIDGET_CHUNKS__: Record<string, readonly string[]>;

// Known only while the script runs for the first time (a classic script; null in a module).
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || null;

function importChunk(name: string, base: string): Promise<{ default: never }> {
  const [file, ...imports] = __ACCESSBRIDGE_WIDGET_CHUNKS__[name]!;
  // What the chunk imports is fetched now, beside it, not after it has been parsed.
  for (const dep of imports) import(/* @vite-ignore */ new URL(dep, base).href).catch(() => undefined);
  return import(/* @vite-ignore */ new URL(file!, base).href);
}

export const loadView: LoadView = async (view, lang, apiUrl) => {
  // The API serves the script at /widget.js and its chunks beside it.
  const base = new URL(scriptUrl ?? `${apiUrl.replace(/\/+$/, '')}/widget.js`, location.href).href;
  const [v, s] = await Promise.all([importChunk(view, base), importChunk(`strings-${lang}`, base)]);
  return { view: v.default, strings: s.default };
};
