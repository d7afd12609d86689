/**
 * Host permissions and dynamic content scripts for WXT's fake browser (it has neither): an
 * in-memory model of what Chrome keeps, with the permission events, so the background's
 * request → register → revoke → unregister flow runs as it would in the browser.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { vi } from 'vitest';

type Listener = (arg: { origins?: string[] }) => void;

function event() {
  const listeners: Listener[] = [];
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l), 1),
    hasListener: (l: Listener) => listeners.includes(l),
    trigger: async (arg: { origins?: string[] }) => {
      for (const l of listeners) l(arg);
    },
  };
}

export interface RegisteredScript {
  id: string;
  matches?: string[];
  js?: string[];
  runAt?: string;
  persistAcrossSessions?: boolean;
}

export function fakeHostAccess(grantedAtStart: string[] = []) {
  const granted = new Set(grantedAtStart);
  const registered = new Map<string, RegisteredScript>();
  const onAdded = event();
  const onRemoved = event();
  const permissions = {
    contains: vi.fn(async ({ origins = [] }: { origins?: string[] }) => origins.every((o) => granted.has(o))),
    request: vi.fn(async ({ origins = [] }: { origins?: string[] }) => {
      origins.forEach((o) => granted.add(o));
      await onAdded.trigger({ origins });
      return true;
    }),
    remove: vi.fn(async ({ origins = [] }: { origins?: string[] }) => {
      origins.forEach((o) => granted.delete(o));
      await onRemoved.trigger({ origins });
      return true;
    }),
    onAdded,
    onRemoved,
  };
  const scripting = {
    registerContentScripts: vi.fn(async (scripts: RegisteredScript[]) => {
      for (const s of scripts) {
        if (registered.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        registered.set(s.id, structuredClone(s));
      }
    }),
    updateContentScripts: vi.fn(async (scripts: RegisteredScript[]) => {
      for (const s of scripts) {
        if (!registered.has(s.id)) throw new Error(`No script with ID '${s.id}'`);
        registered.set(s.id, { ...registered.get(s.id)!, ...structuredClone(s) });
      }
    }),
    unregisterContentScripts: vi.fn(async ({ ids }: { ids?: string[] } = {}) => {
      for (const id of ids ?? [...registered.keys()]) registered.delete(id);
    }),
    getRegisteredContentScripts: vi.fn(async ({ ids }: { ids?: string[] } = {}) =>
      [...registered.values()].filter((s) => !ids || ids.includes(s.id)).map((s) => structuredClone(s)),
    ),
    executeScript: vi.fn(async (_injection: unknown): Promise<{ result?: unknown }[]> => []),
  };
  Object.assign(fakeBrowser, { permissions, scripting });
  return {
    granted,
    registered,
    permissions,
    scripting,
    /** The user withdraws a host in the browser's own settings. */
    withdraw: (pattern: string) => permissions.remove({ origins: [pattern] }),
  };
}
