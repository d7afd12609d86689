import type { Catalog } from '../catalog.ts';

// The booking dialog on a manager page, whose own scripts could read what it shows: the
// booking codes stay in the toolbar popup (components/keycafe/BookingResult.tsx).
const en = {
  'isolation.codesInPopup': 'Booking codes are not shown on this page, where the site’s own scripts could read them. Open AccessBridge from the browser toolbar to see and copy them.',
} as const;

export default {
  en,
  de: {
    'isolation.codesInPopup': 'Buchungscodes werden auf dieser Seite nicht angezeigt, da die Skripte der Website sie lesen könnten. Öffnen Sie AccessBridge über die Symbolleiste des Browsers, um sie zu sehen und zu kopieren.',
  },
  fr: {
    'isolation.codesInPopup': 'Les codes de réservation ne sont pas affichés sur cette page, dont les scripts pourraient les lire. Ouvrez AccessBridge depuis la barre d’outils du navigateur pour les voir et les copier.',
  },
} satisfies Catalog<typeof en>;
