import type { Catalog } from '../catalog.ts';

// The links to the AccessBridge admin page from the popup and the options (a catalog of its
// own, so the popup does not load the admin page's strings).
const en = {
  'admin.open': 'Open AccessBridge admin',
  'admin.openHint': 'Locations, Tapkey and Keycafe connections, full sync and its report, health.',
} as const;

export default {
  en,
  de: {
    'admin.open': 'AccessBridge-Verwaltung öffnen',
    'admin.openHint': 'Standorte, Tapkey- und Keycafe-Verbindungen, vollständige Synchronisierung mit Bericht, Zustand.',
  },
  fr: {
    'admin.open': 'Ouvrir l’administration AccessBridge',
    'admin.openHint': 'Sites, connexions Tapkey et Keycafe, synchronisation complète et son rapport, état.',
  },
} satisfies Catalog<typeof en>;
