import type { Catalog } from '../catalog.ts';

// The extension's shared strings: toolbar badge and the errors every extension UI explains.
const en = {
  'ext.badge.idle': 'AccessBridge',
  'ext.badge.pending': 'AccessBridge: changes waiting to be sent: {pending}',
  'ext.badge.failed': 'AccessBridge: changes failed: {failed}, waiting: {pending}. Open the options to review them.',
  'ext.error.notConfigured': 'AccessBridge is not set up yet: enter the API URL and token in the extension options.',
  'ext.error.unauthorized': 'The API refused the token (401). Check the API token in the extension options.',
  'ext.error.unreachable': 'The AccessBridge API cannot be reached: it is offline, the URL is wrong, or it does not allow this extension (CORS).',
  'ext.error.timeout': 'The AccessBridge API did not answer in time. Try again in a moment.',
  'ext.error.notAccessBridge': 'Something answers at this URL, but it is not an AccessBridge API. Check the API URL.',
  'ext.error.invalidResponse': 'The API sent an answer this extension does not understand. Are the API and the extension up to date?',
  'ext.error.forbidden': 'This page is not allowed to do that.',
  'ext.error.api': 'The API refused the request: {message}',
} as const;

export default {
  en,
  de: {
    'ext.badge.idle': 'AccessBridge',
    'ext.badge.pending': 'AccessBridge: Änderungen, die auf das Senden warten: {pending}',
    'ext.badge.failed': 'AccessBridge: fehlgeschlagene Änderungen: {failed}, wartend: {pending}. Prüfen Sie sie in den Optionen.',
    'ext.error.notConfigured': 'AccessBridge ist noch nicht eingerichtet: Geben Sie API-URL und Token in den Optionen der Erweiterung ein.',
    'ext.error.unauthorized': 'Die API hat das Token abgelehnt (401). Prüfen Sie das API-Token in den Optionen der Erweiterung.',
    'ext.error.unreachable': 'Die AccessBridge-API ist nicht erreichbar: Sie ist offline, die URL ist falsch, oder sie erlaubt diese Erweiterung nicht (CORS).',
    'ext.error.timeout': 'Die AccessBridge-API hat nicht rechtzeitig geantwortet. Versuchen Sie es gleich noch einmal.',
    'ext.error.notAccessBridge': 'Unter dieser URL antwortet etwas, aber keine AccessBridge-API. Prüfen Sie die API-URL.',
    'ext.error.invalidResponse': 'Die API hat eine Antwort gesendet, die diese Erweiterung nicht versteht. Sind API und Erweiterung aktuell?',
    'ext.error.forbidden': 'Diese Seite darf das nicht.',
    'ext.error.api': 'Die API hat die Anfrage abgelehnt: {message}',
  },
  fr: {
    'ext.badge.idle': 'AccessBridge',
    'ext.badge.pending': "AccessBridge : modifications en attente d'envoi : {pending}",
    'ext.badge.failed': 'AccessBridge : modifications en échec : {failed}, en attente : {pending}. Vérifiez-les dans les options.',
    'ext.error.notConfigured': "AccessBridge n'est pas encore configuré : saisissez l'URL et le jeton de l'API dans les options de l'extension.",
    'ext.error.unauthorized': "L'API a refusé le jeton (401). Vérifiez le jeton d'API dans les options de l'extension.",
    'ext.error.unreachable': "L'API AccessBridge est injoignable : elle est hors ligne, l'URL est erronée, ou elle n'autorise pas cette extension (CORS).",
    'ext.error.timeout': "L'API AccessBridge n'a pas répondu à temps. Réessayez dans un instant.",
    'ext.error.notAccessBridge': "Quelque chose répond à cette URL, mais ce n'est pas une API AccessBridge. Vérifiez l'URL de l'API.",
    'ext.error.invalidResponse': "L'API a envoyé une réponse que cette extension ne comprend pas. L'API et l'extension sont-elles à jour ?",
    'ext.error.forbidden': "Cette page n'a pas le droit de faire cela.",
    'ext.error.api': "L'API a refusé la requête : {message}",
  },
} satisfies Catalog<typeof en>;
