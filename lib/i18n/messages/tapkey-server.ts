import type { Catalog } from '../catalog.ts';

// The sync API's Tapkey texts: the "access ready" notice (seed step 3), the full-sync reminder
// and why a booking has or has no access. `{email}` in the notice body is the tenant's email
// (or the merge field, in the template version).
const en = {
  'tapkeyServer.notice.subject': 'Your access to unit {unit} is ready',
  'tapkeyServer.notice.body':
    'Hello,\n\nyou can open unit {unit} with your smartphone, using the Tapkey app.\n\n' +
    '1. Download the Tapkey app:\n   Apple App Store: {appStoreUrl}\n   Android Play Store: {playStoreUrl}\n' +
    '2. Register in the Tapkey app with this email address: {email}\n   It must be exactly the address of your booking; otherwise your access will not show up.\n' +
    '3. From {validFrom}, tap and hold the button in the Tapkey app near the lock to open it (Bluetooth). On Android you can also hold your phone to the lock (NFC).',
  'tapkeyServer.syncReminder':
    'Tenants must register in the Tapkey app with the same email address as in their booking: they can only open locks granted to that address.',
  'tapkeyServer.access.active': 'Tapkey access granted to {email} on lock {lockId}.',
  'tapkeyServer.access.pending': 'Tapkey is being updated for {email}.',
  'tapkeyServer.access.failed': 'The Tapkey update failed: {reason}',
  'tapkeyServer.access.revoked': 'Tapkey access revoked: {reason}',
  'tapkeyServer.access.no_email': 'No access: the booking has no tenant email.',
  'tapkeyServer.access.unit_without_location': 'No access: the unit belongs to no location.',
  'tapkeyServer.access.location_not_connected': "No access: the unit's location is not connected to Tapkey.",
  'tapkeyServer.access.unit_not_mapped': 'No access: the unit is not mapped to a Tapkey lock.',
  'tapkeyServer.access.sync_off': 'No access: sync is off for this booking (gradual mode). Switch it on to grant access.',
  'tapkeyServer.access.revoked_manually': 'No access: revoked by hand. Restore it to grant access again.',
  'tapkeyServer.access.booking_inactive': 'No access: the booking ended or was cancelled.',
  'tapkeyServer.access.moved_out': 'No access: the move-out date has passed.',
  'tapkeyServer.access.waiting_for_move_in': 'Access will be granted when the move-in date is reached ({date}).',
} as const;

export default {
  en,
  de: {
    'tapkeyServer.notice.subject': 'Ihr Zugang zu Einheit {unit} ist bereit',
    'tapkeyServer.notice.body':
      'Hallo,\n\nSie können Einheit {unit} mit Ihrem Smartphone über die Tapkey-App öffnen.\n\n' +
      '1. Laden Sie die Tapkey-App herunter:\n   Apple App Store: {appStoreUrl}\n   Android Play Store: {playStoreUrl}\n' +
      '2. Registrieren Sie sich in der Tapkey-App mit dieser E-Mail-Adresse: {email}\n   Es muss genau die Adresse Ihrer Buchung sein, sonst erscheint Ihr Zugang nicht.\n' +
      '3. Ab {validFrom} halten Sie in der Nähe des Schlosses den Knopf in der Tapkey-App gedrückt, um es zu öffnen (Bluetooth). Unter Android können Sie Ihr Telefon auch direkt an das Schloss halten (NFC).',
    'tapkeyServer.syncReminder':
      'Mieter müssen sich in der Tapkey-App mit derselben E-Mail-Adresse wie in ihrer Buchung registrieren: Sie können nur Schlösser öffnen, die dieser Adresse freigegeben sind.',
    'tapkeyServer.access.active': 'Tapkey-Zugang für {email} auf Schloss {lockId} erteilt.',
    'tapkeyServer.access.pending': 'Tapkey wird für {email} aktualisiert.',
    'tapkeyServer.access.failed': 'Die Tapkey-Aktualisierung ist fehlgeschlagen: {reason}',
    'tapkeyServer.access.revoked': 'Tapkey-Zugang entzogen: {reason}',
    'tapkeyServer.access.no_email': 'Kein Zugang: Die Buchung hat keine E-Mail-Adresse.',
    'tapkeyServer.access.unit_without_location': 'Kein Zugang: Die Einheit gehört zu keinem Standort.',
    'tapkeyServer.access.location_not_connected': 'Kein Zugang: Der Standort der Einheit ist nicht mit Tapkey verbunden.',
    'tapkeyServer.access.unit_not_mapped': 'Kein Zugang: Die Einheit ist keinem Tapkey-Schloss zugeordnet.',
    'tapkeyServer.access.sync_off': 'Kein Zugang: Die Synchronisierung ist für diese Buchung aus (schrittweiser Modus). Schalten Sie sie ein, um Zugang zu erteilen.',
    'tapkeyServer.access.revoked_manually': 'Kein Zugang: manuell entzogen. Stellen Sie ihn wieder her, um erneut Zugang zu erteilen.',
    'tapkeyServer.access.booking_inactive': 'Kein Zugang: Die Buchung ist beendet oder storniert.',
    'tapkeyServer.access.moved_out': 'Kein Zugang: Das Auszugsdatum ist vorbei.',
    'tapkeyServer.access.waiting_for_move_in': 'Der Zugang wird am Einzugsdatum erteilt ({date}).',
  },
  fr: {
    'tapkeyServer.notice.subject': "Votre accès à l'unité {unit} est prêt",
    'tapkeyServer.notice.body':
      "Bonjour,\n\nvous pouvez ouvrir l'unité {unit} avec votre smartphone, grâce à l'application Tapkey.\n\n" +
      "1. Téléchargez l'application Tapkey :\n   Apple App Store : {appStoreUrl}\n   Android Play Store : {playStoreUrl}\n" +
      "2. Inscrivez-vous dans l'application Tapkey avec cette adresse e-mail : {email}\n   Ce doit être exactement l'adresse de votre réservation ; sinon votre accès n'apparaîtra pas.\n" +
      "3. À partir du {validFrom}, maintenez le bouton de l'application Tapkey appuyé près de la serrure pour l'ouvrir (Bluetooth). Sur Android, vous pouvez aussi approcher votre téléphone de la serrure (NFC).",
    'tapkeyServer.syncReminder':
      "Les locataires doivent s'inscrire dans l'application Tapkey avec la même adresse e-mail que dans leur réservation : ils ne peuvent ouvrir que les serrures accordées à cette adresse.",
    'tapkeyServer.access.active': 'Accès Tapkey accordé à {email} sur la serrure {lockId}.',
    'tapkeyServer.access.pending': 'Tapkey est en cours de mise à jour pour {email}.',
    'tapkeyServer.access.failed': 'La mise à jour Tapkey a échoué : {reason}',
    'tapkeyServer.access.revoked': 'Accès Tapkey révoqué : {reason}',
    'tapkeyServer.access.no_email': "Pas d'accès : la réservation n'a pas d'e-mail du locataire.",
    'tapkeyServer.access.unit_without_location': "Pas d'accès : l'unité n'appartient à aucun site.",
    'tapkeyServer.access.location_not_connected': "Pas d'accès : le site de l'unité n'est pas connecté à Tapkey.",
    'tapkeyServer.access.unit_not_mapped': "Pas d'accès : l'unité n'est associée à aucune serrure Tapkey.",
    'tapkeyServer.access.sync_off': "Pas d'accès : la synchronisation est désactivée pour cette réservation (mode progressif). Activez-la pour accorder l'accès.",
    'tapkeyServer.access.revoked_manually': "Pas d'accès : révoqué manuellement. Rétablissez-le pour accorder à nouveau l'accès.",
    'tapkeyServer.access.booking_inactive': "Pas d'accès : la réservation est terminée ou annulée.",
    'tapkeyServer.access.moved_out': "Pas d'accès : la date de départ est passée.",
    'tapkeyServer.access.waiting_for_move_in': "L'accès sera accordé à la date d'emménagement ({date}).",
  },
} satisfies Catalog<typeof en>;
