import type { Catalog } from '../catalog.ts';

// Texts of the hardening checks: a stored booking whose dates cannot be evaluated (it is
// reported on its own instead of failing a list or a sync run) and look-alike identifiers.
const en = {
  'tapkeyServer.access.invalid_dates': 'No access: the move-in or move-out date of this booking is not a real calendar date. Correct the booking.',
  'hardening.confusableUnit': 'Unit “{name}” looks like unit “{other}” ({otherId}) in the same location.',
};

export default {
  en,
  de: {
    'tapkeyServer.access.invalid_dates': 'Kein Zugang: Das Ein- oder Auszugsdatum dieser Buchung ist kein gültiges Kalenderdatum. Korrigieren Sie die Buchung.',
    'hardening.confusableUnit': 'Die Einheit „{name}“ sieht aus wie die Einheit „{other}“ ({otherId}) am selben Standort.',
  },
  fr: {
    'tapkeyServer.access.invalid_dates': 'Pas d’accès : la date d’entrée ou de sortie de cette réservation n’est pas une date de calendrier valide. Corrigez la réservation.',
    'hardening.confusableUnit': 'L’unité « {name} » ressemble à l’unité « {other} » ({otherId}) du même site.',
  },
} satisfies Catalog<typeof en>;
