import type { Catalog } from '../catalog.ts';

// The Tapkey connector's texts for what the providers' documentation leaves open: a revocation
// Tapkey is still carrying out (asynchronous revoke), the full-sync report's email mismatches and
// staff cards, and why an unexplained grant is not in the default revoke set.
const en = {
  'tapkeySync.access.revoking': 'Tapkey is revoking the access of {email}: the lock learns it at its next sync.',
  'tapkeySync.mismatch.action.noGrantYet':
    'Tapkey has {tapkeyEmails} on this lock, not {expectedEmail}. Ask the tenant which email they use in the Tapkey app: if it is {tapkeyEmails}, correct the booking email in the manager; otherwise ask them to register with {expectedEmail}. Revoke the old grant only by selecting its row, once the tenant can open with the new one.',
  'tapkeySync.mismatch.action.bothPresent':
    'Tapkey has {tapkeyEmails} on this lock besides {expectedEmail}. Check with the tenant which address they use in the Tapkey app before revoking anything; the other grant is kept unless you select its row.',
  'tapkeySync.unexplained.protected': 'Unit {unit} has an active booking: revoked only if you select this row.',
  'tapkeySync.unexplained.selectedOnly': 'Kept: the lock belongs to a unit with an active booking and this row was not selected.',
  'tapkeySync.lockFilter.refused':
    'Tapkey refused the lock filter on grants (400): grants are read with "active eq true" and filtered by lock here. Sync works; each lock check reads all active grants.',
} as const;

export default {
  en,
  de: {
    'tapkeySync.access.revoking': 'Tapkey entzieht {email} den Zugang: Das Schloss erfährt es bei seiner nächsten Synchronisierung.',
    'tapkeySync.mismatch.action.noGrantYet':
      'Tapkey hat {tapkeyEmails} auf diesem Schloss, nicht {expectedEmail}. Fragen Sie den Mieter, welche E-Mail-Adresse er in der Tapkey-App verwendet: Ist es {tapkeyEmails}, korrigieren Sie die Buchungs-E-Mail im Manager; sonst soll er sich mit {expectedEmail} registrieren. Entziehen Sie die alte Berechtigung nur, indem Sie ihre Zeile auswählen, sobald der Mieter mit der neuen öffnen kann.',
    'tapkeySync.mismatch.action.bothPresent':
      'Tapkey hat auf diesem Schloss neben {expectedEmail} auch {tapkeyEmails}. Klären Sie mit dem Mieter, welche Adresse er in der Tapkey-App verwendet, bevor Sie etwas entziehen; die andere Berechtigung bleibt, solange Sie ihre Zeile nicht auswählen.',
    'tapkeySync.unexplained.protected': 'Einheit {unit} hat eine aktive Buchung: wird nur entzogen, wenn Sie diese Zeile auswählen.',
    'tapkeySync.unexplained.selectedOnly': 'Behalten: Das Schloss gehört zu einer Einheit mit aktiver Buchung, und diese Zeile wurde nicht ausgewählt.',
    'tapkeySync.lockFilter.refused':
      'Tapkey hat den Schloss-Filter für Berechtigungen abgelehnt (400): Berechtigungen werden mit „active eq true" gelesen und hier nach Schloss gefiltert. Die Synchronisierung funktioniert; jede Schlossprüfung liest alle aktiven Berechtigungen.',
  },
  fr: {
    'tapkeySync.access.revoking': "Tapkey révoque l'accès de {email} : la serrure l'apprendra à sa prochaine synchronisation.",
    'tapkeySync.mismatch.action.noGrantYet':
      "Tapkey a {tapkeyEmails} sur cette serrure, et non {expectedEmail}. Demandez au locataire quelle adresse il utilise dans l'application Tapkey : si c'est {tapkeyEmails}, corrigez l'e-mail de la réservation dans le gestionnaire ; sinon, qu'il s'inscrive avec {expectedEmail}. Ne révoquez l'ancien accès qu'en sélectionnant sa ligne, une fois que le locataire peut ouvrir avec le nouveau.",
    'tapkeySync.mismatch.action.bothPresent':
      "Tapkey a {tapkeyEmails} sur cette serrure en plus de {expectedEmail}. Vérifiez avec le locataire quelle adresse il utilise dans l'application Tapkey avant de révoquer quoi que ce soit ; l'autre accès est conservé tant que vous ne sélectionnez pas sa ligne.",
    'tapkeySync.unexplained.protected': "L'unité {unit} a une réservation active : révoqué seulement si vous sélectionnez cette ligne.",
    'tapkeySync.unexplained.selectedOnly': "Conservé : la serrure appartient à une unité avec une réservation active et cette ligne n'a pas été sélectionnée.",
    'tapkeySync.lockFilter.refused':
      'Tapkey a refusé le filtre par serrure sur les accès (400) : les accès sont lus avec « active eq true » et filtrés par serrure ici. La synchronisation fonctionne ; chaque vérification de serrure lit tous les accès actifs.',
  },
} satisfies Catalog<typeof en>;
