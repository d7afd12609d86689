/**
 * What a site profile is: which addresses of a manager are unit and booking pages, where each
 * value sits on them (tried in order, first usable value wins), and where the controls go.
 * Pure zod: the same profile validates the same way in content scripts, the options page and
 * the background.
 */
import { z } from 'zod';
import { bookingStateSchema } from '../contract/common.ts';
import { dateOrders } from '../dates.ts';

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A regular expression written as a string (JavaScript syntax, no slashes or flags). */
const regexSource = z
  .string()
  .min(1, 'Required')
  .max(300, 'At most 300 characters')
  .refine(compiles, { error: (issue) => `\`${String(issue.input)}\` is not a valid regular expression` });

/** The names of a pattern's named groups, all of them, whether or not they take part in a match. */
export function namedGroups(source: string): string[] {
  // An empty alternative always matches, and `groups` then lists every named group (unset).
  const m = new RegExp(`(?:${source})|`).exec('');
  return Object.keys(m?.groups ?? {});
}

// CSS syntax is checked where a DOM exists (extraction reports `selector_invalid`); here only
// what no selector can contain, so the same profile validates the same way everywhere.
export const cssSelector = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(300, 'At most 300 characters')
  .refine((s) => !/[{}]/.test(s), 'A CSS selector cannot contain { or }');

const groupName = z.string().regex(/^[A-Za-z_$][\w$]*$/, 'A group name is letters, digits and _ (e.g. unitId)');

/** Cleans up a value: the named group `value`, else the first group, else the whole match. */
const cleanupRegex = regexSource.optional();

export const strategySchema = z.discriminatedUnion('from', [
  /** A named group of the page's URL pattern. */
  z.object({ from: z.literal('url'), group: groupName }),
  /**
   * An element's text, or one of its attributes (`value` reads a form field's current value).
   * Every element the selector matches is a candidate, in document order.
   */
  z.object({
    from: z.literal('selector'),
    selector: cssSelector,
    attribute: z.string().trim().regex(/^[A-Za-z_:][\w:.-]*$/, 'Not an attribute name').optional(),
    regex: cleanupRegex,
  }),
  /**
   * The value beside a visible label (`<dt>Email</dt><dd>…</dd>`, `<th>`/`<td>`, `<label for>`,
   * or the label's next sibling): survives class-name changes in the manager's markup. Every
   * element showing the label is a candidate, in document order.
   */
  z.object({
    from: z.literal('label'),
    label: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
    within: cssSelector.optional(),
    regex: cleanupRegex,
  }),
]);
export type Strategy = z.infer<typeof strategySchema>;

/** A field's strategies, tried in order until one gives a usable value. */
export const fieldSchema = z.array(strategySchema).min(1, 'Give at least one way to read this field').max(6, 'At most 6 fallbacks');

export const anchorPositions = ['before', 'after', 'prepend', 'append'] as const;

export const anchorSchema = z.object({
  /** Tried in order; the first that matches hosts the controls. */
  selectors: z.array(cssSelector).min(1, 'Give at least one selector').max(5, 'At most 5 selectors'),
  position: z.enum(anchorPositions).default('after'),
});
export type Anchor = z.infer<typeof anchorSchema>;

export const urlPatternField = regexSource.describe(
  'Regular expression tested against the path, query and hash of the page (e.g. `^/units/(?<unitId>[^/?#]+)`)',
);

/** Every `url` strategy must name a group its page pattern has. */
export function checkUrlGroups(pattern: string, fields: Record<string, Strategy[] | undefined>, ctx: z.RefinementCtx) {
  if (!compiles(pattern)) return; // already reported on urlPattern
  const groups = namedGroups(pattern);
  for (const [field, strategies] of Object.entries(fields)) {
    strategies?.forEach((s, i) => {
      if (s.from === 'url' && !groups.includes(s.group))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', field, i, 'group'],
          message: groups.length
            ? `The URL pattern has no group named "${s.group}" (it has: ${groups.join(', ')})`
            : `The URL pattern has no named groups; add one like (?<${s.group}>[^/?#]+)`,
        });
    });
  }
}

export const unitPageSchema = z
  .object({
    urlPattern: urlPatternField,
    fields: z.object({ id: fieldSchema, name: fieldSchema, location: fieldSchema.optional() }),
    anchor: anchorSchema,
  })
  .superRefine((p, ctx) => checkUrlGroups(p.urlPattern, p.fields, ctx));

export const bookingPageSchema = z
  .object({
    urlPattern: urlPatternField,
    fields: z.object({
      id: fieldSchema,
      unitId: fieldSchema,
      tenantName: fieldSchema.optional(),
      tenantEmail: fieldSchema.optional(),
      tenantPhone: fieldSchema.optional(),
      moveIn: fieldSchema,
      moveOut: fieldSchema.optional(),
      state: fieldSchema.optional(),
    }),
    /** The page's state words → AccessBridge booking states (matched ignoring case). */
    stateLabels: z.record(z.string().trim().min(1).max(60), bookingStateSchema).default({}),
    anchor: anchorSchema,
  })
  .superRefine((p, ctx) => checkUrlGroups(p.urlPattern, p.fields, ctx));

/**
 * A booking list page ("Capture all bookings on this page"): each element matching `rows` is
 * one booking, its fields read inside the row (a row has no URL of its own, so no `url`
 * strategies). Reading: lib/site-profile-list.ts.
 */
export const bookingListSchema = z
  .object({
    urlPattern: urlPatternField,
    rows: cssSelector,
    fields: bookingPageSchema.shape.fields,
    stateLabels: z.record(z.string().trim().min(1).max(60), bookingStateSchema).default({}),
    anchor: anchorSchema,
  })
  .superRefine((p, ctx) => {
    for (const [field, strategies] of Object.entries(p.fields))
      strategies?.forEach((s, i) => {
        if (s.from === 'url') ctx.addIssue({ code: 'custom', path: ['fields', field, i, 'from'], message: 'A list row has no address of its own: read it with a selector or a label' });
      });
  });

/** `https://manager.example.com` or `http://127.0.0.1:4100`: scheme, host and port, nothing else. */
export const originSchema = z
  .string()
  .trim()
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a web address (e.g. https://manager.example.com)' });
      return z.NEVER;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'Must start with https:// or http://' });
      return z.NEVER;
    }
    if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username || u.password) {
      ctx.addIssue({ code: 'custom', message: `Only the origin, without a path: ${u.origin}` });
      return z.NEVER;
    }
    return u.origin;
  });

/**
 * Where values are read from. `content`: the main content area first (`main`, `[role=main]`, or
 * the largest content container), never the navigation, page header, page footer or sidebars
 * (`nav`, `aside` and page-level `header`/`footer`, or their ARIA roles). `page`: the whole page
 * in document order, chrome included. Profiles saved before this option existed have none and
 * read the whole page, as they always did.
 */
export const pageScopes = ['content', 'page'] as const;
export type PageScope = (typeof pageScopes)[number];

export const siteProfileSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Lower-case letters, digits and dashes'),
  name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  origin: originSchema,
  /** How to read numeric dates whose day and month could be swapped (01/02/2026). */
  dateOrder: z.enum(dateOrders).default('DMY'),
  scope: z.enum(pageScopes).optional(),
  unitPage: unitPageSchema,
  bookingPage: bookingPageSchema.optional(),
  /** The booking list page, read whole by "Capture all bookings on this page". */
  list: bookingListSchema.optional(),
  // Further kinds of page a profile may describe go here, each optional so stored profiles
  // stay valid.
});
export type SiteProfile = z.output<typeof siteProfileSchema>;
export type SiteProfileInput = z.input<typeof siteProfileSchema>;

/** The profiles kept in extension storage: ids and origins unique, so a page has one profile. */
export const siteProfilesSchema = z.array(siteProfileSchema).superRefine((list, ctx) => {
  const seen = { id: new Map<string, number>(), origin: new Map<string, number>() };
  list.forEach((p, i) => {
    for (const key of ['id', 'origin'] as const) {
      const first = seen[key].get(p[key]);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: [i, key], message: `Profile ${first + 1} already uses ${key === 'id' ? 'the id' : 'the origin'} ${p[key]}` });
      else seen[key].set(p[key], i);
    }
  });
});
