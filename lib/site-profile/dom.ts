/**
 * Reading raw texts off a manager page for one strategy. Every element a selector matches, and
 * every element showing a label, is a candidate, tried in order by the field reader
 * (extract.ts) until one gives a usable value; a navigation bar's link to the unit list must
 * not hide the booking's own link to its unit further down. With the `content` scope the main
 * content area's candidates come first and the page's chrome (navigation, page header and
 * footer, sidebars) is never read.
 */
import type { ProblemCode } from './problems.ts';
import type { PageScope, Strategy } from './schema.ts';
import { clip, collapse, placeholder } from './values.ts';

export type Raw = { ok: true; text: string } | { ok: false; code: ProblemCode; params: Record<string, string> };

/** What one strategy found: candidate texts in order (never none), or why there are none. */
export type StrategyRead =
  | { ok: true; candidates: Raw[]; noneUsable: ProblemCode; params: Record<string, string> }
  | { ok: false; code: ProblemCode; params: Record<string, string> };

const normLabel = (s: string) => collapse(s).replace(/[:：]\s*$/, '').toLowerCase();

/** Landmarks that are never content: navigation, sidebars, and the page's banner and footer. */
const chromeSelector = 'nav, aside, [role="navigation"], [role="complementary"], [role="banner"], [role="contentinfo"]';
/** A `header`/`footer` inside these belongs to that content (HTML-AAM: not a banner/contentinfo). */
const sectioning = 'article, aside, main, nav, section, [role="main"], [role="article"], [role="region"]';
const mainSelector = 'main, [role="main"]';

/** Whether `el` sits in the page's chrome, looking no higher than `root` (a scope the profile chose). */
export function inChrome(el: Element, root: ParentNode): boolean {
  for (let e: Element | null = el; e && e !== root; e = e.parentElement) {
    if (e.matches(chromeSelector)) return true;
    if ((e.tagName === 'HEADER' || e.tagName === 'FOOTER') && !e.parentElement?.closest(sectioning)) return true;
  }
  return false;
}

function query(root: ParentNode, selector: string): { els: Element[] } | { invalid: true } {
  try {
    return { els: Array.from(root.querySelectorAll(selector)) };
  } catch {
    return { invalid: true };
  }
}

/** The first element `selector` matches, or `invalid` for a selector the browser rejects. */
export function queryOne(root: ParentNode, selector: string): { el: Element | null } | { invalid: true } {
  try {
    return { el: root.querySelector(selector) };
  } catch {
    return { invalid: true };
  }
}

function textLength(el: Element): number {
  return (el.textContent ?? '').replace(/\s+/g, '').length;
}

/**
 * The main content area: `main` or `[role=main]` outside the chrome, else the largest content
 * container (from the body down, the child holding most of the text while it holds at least
 * two thirds of it). Null when nothing stands out (the whole page is the content).
 */
export function contentArea(root: ParentNode): Element | null {
  const found = query(root, mainSelector);
  const main = 'els' in found ? found.els.find((el) => !inChrome(el, root)) : undefined;
  if (main) return main;
  const doc = root as Partial<Document>;
  let current: Element | null = doc.body ?? (root as Element);
  if (!current || !('children' in current)) return null;
  const start = current;
  for (;;) {
    const total = textLength(current);
    let best: Element | null = null;
    let bestLength = 0;
    for (const child of Array.from(current.children)) {
      if (inChrome(child, current)) continue;
      const length = textLength(child);
      if (length > bestLength) [best, bestLength] = [child, length];
    }
    if (!best || !total || bestLength * 3 < total * 2) break;
    current = best;
  }
  return current === start ? null : current;
}

function valueOf(el: Element): string {
  const v = (el as Partial<HTMLInputElement>).value;
  if (typeof v === 'string' && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) return v;
  return el.textContent ?? '';
}

/** What a person reads beside a label: for a drop-down the chosen option's text, not its code. */
function shownValueOf(el: Element): string {
  if (el.tagName === 'SELECT') {
    const option = (el as HTMLSelectElement).selectedOptions?.[0];
    if (option) return option.textContent ?? '';
  }
  return valueOf(el);
}

/** The text of the value that belongs to `labelEl`, or null when nothing stands beside it. */
function valueBesideLabel(labelEl: Element): string | null {
  const tag = labelEl.tagName;
  if (tag === 'LABEL') {
    const target = labelEl.getAttribute('for');
    // The label's own tree: a document, or a fragment the options preview parsed.
    const tree = labelEl.getRootNode();
    if (target) {
      const el = 'getElementById' in tree ? (tree as DocumentFragment).getElementById(target) : null;
      return el ? shownValueOf(el) : null;
    }
    const control = labelEl.querySelector('input, select, textarea');
    if (control) return shownValueOf(control);
  }
  // `<p><strong>Email:</strong> jo@example.com</p>`: the text right after the label.
  for (let n = labelEl.nextSibling; n && n.nodeType !== 1; n = n.nextSibling) {
    if (n.nodeType === 3 && collapse(n.textContent ?? '')) return n.textContent;
  }
  let next = labelEl.nextElementSibling;
  if (tag === 'DT') while (next && next.tagName !== 'DD') next = next.nextElementSibling;
  return next ? shownValueOf(next) : null;
}

/**
 * Document order, except that a label comes before an element around it showing the same text
 * (`<p><label for=x>Customer</label> <input id=x></p>`: the label's own field, not the next
 * paragraph; the wrapper stays a candidate for `<div><span>Tenant</span></div><div>value</div>`).
 */
function innermostFirst(a: Element, b: Element): number {
  if (a === b) return 0;
  if (a.contains(b)) return 1;
  if (b.contains(a)) return -1;
  // Node.DOCUMENT_POSITION_FOLLOWING, without relying on a global `Node`.
  return a.compareDocumentPosition(b) & 4 ? -1 : 1;
}

const labelCandidates = 'dt, th, label, td, span, div, strong, b, p, h3, h4, h5, h6, [role="rowheader"]';

function textOrEmpty(text: string, failure: Raw & { ok: false }): Raw {
  const t = collapse(text);
  return !t || placeholder.test(t) ? failure : { ok: true, text: t };
}

function cleanUp(raw: Raw, regex: string | undefined): Raw {
  if (!raw.ok || !regex) return raw;
  const m = new RegExp(regex).exec(raw.text);
  if (!m) return { ok: false, code: 'regex_no_match', params: { regex, text: clip(raw.text) } };
  const text = collapse(m.groups?.value ?? m[1] ?? m[0]);
  return text ? { ok: true, text } : { ok: false, code: 'regex_no_match', params: { regex, text: clip(raw.text) } };
}

/** Reads strategies on one page; the content area is found once per page reading. */
export class PageReader {
  private area: Element | null | undefined;

  constructor(
    readonly root: ParentNode,
    readonly groups: Record<string, string>,
    /** Profiles without a scope read the whole page in document order, as they always did. */
    readonly scope: PageScope = 'page',
  ) {}

  /**
   * Candidates in the order they are tried: with the `content` scope, outside the chrome and
   * the content area's first. `within`: the scope the profile chose, where chrome counts only
   * below it. `chromeOnly` is set when every match was chrome.
   */
  private order(els: Element[], within: ParentNode): { els: Element[]; chromeOnly: boolean } {
    if (this.scope === 'page') return { els, chromeOnly: false };
    const kept = els.filter((el) => !inChrome(el, within));
    if (this.area === undefined) this.area = contentArea(this.root);
    const area = this.area;
    const inArea = area ? kept.filter((el) => area.contains(el)) : kept;
    const rest = area ? kept.filter((el) => !area.contains(el)) : [];
    return { els: [...inArea, ...rest], chromeOnly: els.length > 0 && kept.length === 0 };
  }

  read(s: Strategy): StrategyRead {
    switch (s.from) {
      case 'url': {
        const v = this.groups[s.group]?.trim();
        return v ? { ok: true, candidates: [{ ok: true, text: v }], noneUsable: 'url_group_empty', params: { group: s.group } } : { ok: false, code: 'url_group_empty', params: { group: s.group } };
      }
      case 'selector':
        return this.bySelector(s.selector, s.attribute, s.regex);
      case 'label':
        return this.byLabel(s.label, s.within, s.regex);
    }
  }

  private bySelector(selector: string, attribute: string | undefined, regex: string | undefined): StrategyRead {
    const found = query(this.root, selector);
    if ('invalid' in found) return { ok: false, code: 'selector_invalid', params: { selector } };
    if (!found.els.length) return { ok: false, code: 'selector_no_match', params: { selector } };
    const { els, chromeOnly } = this.order(found.els, this.root);
    if (chromeOnly) return { ok: false, code: 'selector_only_chrome', params: { selector } };
    const candidates = els.map((el): Raw => {
      let text: string;
      if (attribute === 'value') text = valueOf(el);
      else if (attribute) {
        const attr = el.getAttribute(attribute);
        if (attr === null) return { ok: false, code: 'attribute_missing', params: { selector, attribute } };
        text = attr;
      } else text = el.textContent ?? '';
      return cleanUp(textOrEmpty(text, { ok: false, code: 'empty', params: { selector } }), regex);
    });
    return { ok: true, candidates, noneUsable: 'selector_none_usable', params: { selector } };
  }

  private byLabel(label: string, within: string | undefined, regex: string | undefined): StrategyRead {
    let scopes: ParentNode[] = [this.root];
    if (within) {
      const found = query(this.root, within);
      if ('invalid' in found) return { ok: false, code: 'selector_invalid', params: { selector: within } };
      if (!found.els.length) return { ok: false, code: 'selector_no_match', params: { selector: within } };
      scopes = found.els;
    }
    const wanted = normLabel(label);
    const seen = new Set<Element>();
    const labels: Element[] = [];
    for (const scope of scopes) {
      // Containers are never the label; skipping them spares reading whole subtrees' text.
      let matches = Array.from(scope.querySelectorAll(labelCandidates)).filter(
        (el) => !seen.has(el) && el.childElementCount <= 3 && normLabel(el.textContent ?? '') === wanted,
      );
      // A <label> tied to its field says where the value is; the element around it is no label.
      const tied = matches.filter((el) => el.tagName === 'LABEL' && (el.hasAttribute('for') || el.querySelector('input, select, textarea')));
      if (tied.length) matches = matches.filter((el) => !tied.some((t) => t !== el && el.contains(t)));
      labels.push(...this.order(matches.sort(innermostFirst), scope).els);
      matches.forEach((el) => seen.add(el));
    }
    // Matches, none kept: all of them in the chrome.
    if (!labels.length) return { ok: false, code: seen.size ? 'label_only_chrome' : 'label_no_match', params: { label } };
    const candidates = labels.map((el) => cleanUp(textOrEmpty(valueBesideLabel(el) ?? '', { ok: false, code: 'label_no_value', params: { label } }), regex));
    return { ok: true, candidates, noneUsable: 'label_none_usable', params: { label } };
  }
}
