/**
 * Opens a corpus page (test/fixtures/managers) in its own happy-dom window at its address, as a
 * tab would show it: single-page layouts get their app started and their late rendering
 * awaited. Inline scripts are not run (happy-dom's default); the app module is started instead.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Window } from 'happy-dom';
import type { Layout } from '../fixtures/managers/corpus.ts';

export const CORPUS_DIR = resolve(import.meta.dirname, '../fixtures/managers');
export const CORPUS_ORIGIN = 'https://manager.corpus.example';

export interface OpenPage {
  url: string;
  document: Document;
  window: Window;
  close(): Promise<void>;
}

export async function openLayoutPage(layout: Layout, kind: 'unit' | 'booking'): Promise<OpenPage> {
  const page = layout[kind];
  const url = CORPUS_ORIGIN + page.path;
  const window = new Window({ url });
  window.document.write(readFileSync(join(CORPUS_DIR, layout.name, page.file), 'utf8'));
  if (layout.spa) {
    const app = (await import(pathToFileURL(join(CORPUS_DIR, layout.name, 'app.js')).href)) as { start(win: unknown): void };
    app.start(window);
  }
  await window.happyDOM.waitUntilComplete();
  return { url, document: window.document as unknown as Document, window, close: () => window.happyDOM.close() };
}
