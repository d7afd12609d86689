/**
 * The small OData subset the fake understands: `$filter` with `eq`/`ne` clauses joined by
 * `and` (field paths may use `/`, e.g. `contact/identifier`), `$top`, `$skip` and `$select`.
 * Tapkey documents OData filtering and paging on its list endpoints [DOC]; which operators it
 * supports beyond `eq` is not documented, so anything else answers 400 here (assumed, strict).
 */

export class ODataError extends Error {}

type Literal = string | number | boolean | null;
interface Clause {
  path: string[];
  op: 'eq' | 'ne';
  value: Literal;
}

const clausePattern = /^\s*([A-Za-z][\w/]*)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?)\s*$/i;

function parseLiteral(raw: string): Literal {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  return Number(raw);
}

/** Splits on ` and ` outside quoted strings. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    if (filter[i] === "'") inQuote = !inQuote;
    const sep = inQuote ? null : /^\s+and\s+/i.exec(filter.slice(i));
    if (sep) {
      parts.push(filter.slice(start, i));
      start = i + sep[0].length;
      i = start - 1;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}

export function parseFilter(filter: string): Clause[] {
  return splitAnd(filter).map((part) => {
    const m = clausePattern.exec(part);
    if (!m) throw new ODataError(`Unsupported $filter clause: ${part.trim()}`);
    return { path: m[1]!.split('/'), op: m[2]!.toLowerCase() as 'eq' | 'ne', value: parseLiteral(m[3]!) };
  });
}

function read(item: unknown, path: string[]): unknown {
  let v: unknown = item;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    // OData property names are matched case-insensitively here, like the paths.
    const entry = Object.entries(v as Record<string, unknown>).find(([k]) => k.toLowerCase() === key.toLowerCase());
    v = entry?.[1];
  }
  return v;
}

export function matches(item: unknown, clauses: Clause[]): boolean {
  return clauses.every((c) => {
    const v = read(item, c.path) ?? null;
    return c.op === 'eq' ? v === c.value : v !== c.value;
  });
}

function intParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new ODataError(`${name} must be a non-negative integer`);
  return Number(raw);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}

export function parseOrderBy(orderby: string): { path: string[]; desc: boolean }[] {
  return orderby.split(',').map((part) => {
    const m = /^\s*([A-Za-z][\w/]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw new ODataError(`Unsupported $orderby: ${part.trim()}`);
    return { path: m[1]!.split('/'), desc: (m[2] ?? '').toLowerCase() === 'desc' };
  });
}

/**
 * Applies $filter, $orderby, $skip, $top and $select to a collection, in that order. Without
 * $orderby the order is the collection's, or (`unordered`) a different rotation on every call:
 * OData promises no order without $orderby, so pages of such a list may overlap or miss items.
 */
export function applyQuery<T extends object>(items: T[], query: Record<string, string | undefined>, opts: { unordered?: () => number } = {}): object[] {
  const filter = query['$filter'];
  let out: T[] = filter ? items.filter((i) => matches(i, parseFilter(filter))) : items;
  const orderby = query['$orderby'];
  if (orderby) {
    const keys = parseOrderBy(orderby);
    out = [...out].sort((a, b) => {
      for (const k of keys) {
        const c = compare(read(a, k.path), read(b, k.path));
        if (c) return k.desc ? -c : c;
      }
      return 0;
    });
  } else if (opts.unordered && out.length > 1) {
    const shift = opts.unordered() % out.length;
    out = [...out.slice(shift), ...out.slice(0, shift)];
  }
  const skip = intParam(query['$skip'], '$skip') ?? 0;
  const top = intParam(query['$top'], '$top');
  out = out.slice(skip, top === undefined ? undefined : skip + top);
  const select = query['$select'];
  if (!select) return out;
  const fields = select.split(',').map((f) => f.trim()).filter(Boolean);
  return out.map((i) => Object.fromEntries(fields.map((f) => [f, read(i, [f]) ?? null])));
}
