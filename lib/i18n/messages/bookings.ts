import type { Catalog } from '../catalog.ts';

// Bookings intake: "Capture all bookings on this page" on manager list pages
// (components/manager/CaptureBookingsButton.tsx) and the location check of mapping imports.
const en = {
  'bookings.capture.label': 'AccessBridge: bookings on this page',
  'bookings.capture.found': 'Bookings on this page: {count}',
  'bookings.capture.unreadable': '{count} rows could not be read; the first: {problem}',
  'bookings.capture.tooMany': 'This page lists more bookings than can be captured at once; filter or page the list.',
  'bookings.capture.none': 'No bookings could be read on this page.',
  'bookings.capture.button': 'Capture all bookings on this page',
  'bookings.capture.capturing': 'Capturing bookings: {count}…',
  'bookings.capture.done': 'Captured {count} bookings: {created} new, {changed} changed, {unchanged} unchanged.',
  'bookings.capture.refused': '{count} not taken: {first}',
  'manager.import.other_location': 'Lock {lockId} belongs to location {lockLocation}, unit {unit} to {unitLocation}: map a unit only to a lock of its own location',
} as const;

export default {
  en,
  de: {
    'bookings.capture.label': 'AccessBridge: Buchungen auf dieser Seite',
    'bookings.capture.found': 'Buchungen auf dieser Seite: {count}',
    'bookings.capture.unreadable': '{count} Zeilen konnten nicht gelesen werden; die erste: {problem}',
    'bookings.capture.tooMany': 'Diese Seite listet mehr Buchungen, als auf einmal erfasst werden können; filtern oder blättern Sie die Liste.',
    'bookings.capture.none': 'Auf dieser Seite konnten keine Buchungen gelesen werden.',
    'bookings.capture.button': 'Alle Buchungen dieser Seite erfassen',
    'bookings.capture.capturing': 'Buchungen werden erfasst: {count}…',
    'bookings.capture.done': '{count} Buchungen erfasst: {created} neu, {changed} geändert, {unchanged} unverändert.',
    'bookings.capture.refused': '{count} nicht übernommen: {first}',
    'manager.import.other_location':
      'Schloss {lockId} gehört zum Standort {lockLocation}, Einheit {unit} zu {unitLocation}: ordnen Sie eine Einheit nur einem Schloss ihres eigenen Standorts zu',
  },
  fr: {
    'bookings.capture.label': 'AccessBridge : réservations de cette page',
    'bookings.capture.found': 'Réservations sur cette page : {count}',
    'bookings.capture.unreadable': '{count} lignes illisibles ; la première : {problem}',
    'bookings.capture.tooMany': 'Cette page liste plus de réservations que l’on peut en capturer à la fois ; filtrez ou paginez la liste.',
    'bookings.capture.none': 'Aucune réservation lisible sur cette page.',
    'bookings.capture.button': 'Capturer toutes les réservations de cette page',
    'bookings.capture.capturing': 'Capture des réservations : {count}…',
    'bookings.capture.done': '{count} réservations capturées : {created} nouvelles, {changed} modifiées, {unchanged} inchangées.',
    'bookings.capture.refused': '{count} non reprises : {first}',
    'manager.import.other_location':
      'La serrure {lockId} appartient au site {lockLocation}, l’unité {unit} à {unitLocation} : associez une unité uniquement à une serrure de son propre site',
  },
} satisfies Catalog<typeof en>;
