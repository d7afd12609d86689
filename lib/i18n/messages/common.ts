import type { Catalog } from '../catalog.ts';

// Strings shared by several features. Each feature keeps its own file beside this one.
const en = {
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'common.copy': 'Copy',
  'common.copied': 'Copied',
  'common.error.offline': 'The AccessBridge API cannot be reached. Your change is queued and will be sent when it is back.',
  'common.error.unknown': 'Something went wrong: {message}',
} as const;

export default {
  en,
  de: {
    'common.save': 'Speichern',
    'common.cancel': 'Abbrechen',
    'common.close': 'Schließen',
    'common.retry': 'Erneut versuchen',
    'common.loading': 'Wird geladen…',
    'common.copy': 'Kopieren',
    'common.copied': 'Kopiert',
    'common.error.offline': 'Die AccessBridge-API ist nicht erreichbar. Ihre Änderung wird gespeichert und gesendet, sobald sie wieder erreichbar ist.',
    'common.error.unknown': 'Etwas ist schiefgelaufen: {message}',
  },
  fr: {
    'common.save': 'Enregistrer',
    'common.cancel': 'Annuler',
    'common.close': 'Fermer',
    'common.retry': 'Réessayer',
    'common.loading': 'Chargement…',
    'common.copy': 'Copier',
    'common.copied': 'Copié',
    'common.error.offline': "L'API AccessBridge est injoignable. Votre modification est en file d'attente et sera envoyée dès son retour.",
    'common.error.unknown': 'Une erreur est survenue : {message}',
  },
} satisfies Catalog<typeof en>;
