import type { Catalog } from '../catalog.ts';

// Keycafe connection: which API credential the admin holds (token or key), how to get each, and
// what "Test connection" tried. Credential names follow Keycafe's own reference
// (docs.keycafe.com/reference/authentication-1: "API Keys", "API Token").
const en = {
  'kcconnect.authType.label': 'Keycafe credential',
  'kcconnect.authType.auto': 'Not sure: try both',
  'kcconnect.authType.token': 'API token',
  'kcconnect.authType.key': 'API key',
  'kcconnect.authType.tokenHow':
    'An API token is created with your Keycafe email and password: curl -X POST -u "you@example.com:password" https://www.keycafe.com/v0/authorization (it works with login 2FA on).',
  'kcconnect.authType.keyHow': 'An API key is generated in your Keycafe account settings. Keycafe marks API keys deprecated; they still work.',
  'kcconnect.secret.label': 'Token or key',
  'kcconnect.email.label': 'Keycafe account email',
  'kcconnect.test': 'Test Keycafe connection',
  'kcconnect.save': 'Save Keycafe account',
  'kcconnect.ok': 'Keycafe answered with the {authType}: {keys} keys in {locations} SmartBox locations',
  'kcconnect.calls': 'Calls made',
  'kcconnect.call.ok': 'answered',
  'kcconnect.auth.token': 'Keycafe did not accept this email with this API token ("{email}/token"). Check the token, or choose "API key" if you copied a key from your account settings.',
  'kcconnect.auth.key': 'Keycafe did not accept this email with this API key ("{email}/key"). Check the key in your account settings, or choose "API token".',
  'kcconnect.auth.none': 'Keycafe accepted neither an API token nor an API key for {email}',
  'kcconnect.skipped': '{count} records from Keycafe did not have the documented shape and were skipped',
  'kcconnect.testRateLimited': 'Too many Keycafe connection tests from your organization: try again in {seconds} s',
  'kcconnect.noLocations': 'No location with a Keycafe account yet',
} as const;

export default {
  en,
  de: {
    'kcconnect.authType.label': 'Keycafe-Zugangsdaten',
    'kcconnect.authType.auto': 'Nicht sicher: beide versuchen',
    'kcconnect.authType.token': 'API-Token',
    'kcconnect.authType.key': 'API-Schlüssel',
    'kcconnect.authType.tokenHow':
      'Ein API-Token wird mit Ihrer Keycafe-E-Mail und Ihrem Passwort erzeugt: curl -X POST -u "sie@example.com:passwort" https://www.keycafe.com/v0/authorization (funktioniert auch mit Login-2FA).',
    'kcconnect.authType.keyHow': 'Einen API-Schlüssel erzeugen Sie in den Kontoeinstellungen von Keycafe. Keycafe führt API-Schlüssel als veraltet; sie funktionieren weiterhin.',
    'kcconnect.secret.label': 'Token oder Schlüssel',
    'kcconnect.email.label': 'E-Mail des Keycafe-Kontos',
    'kcconnect.test': 'Keycafe-Verbindung testen',
    'kcconnect.save': 'Keycafe-Konto speichern',
    'kcconnect.ok': 'Keycafe hat mit dem {authType} geantwortet: {keys} Schlüssel an {locations} SmartBox-Standorten',
    'kcconnect.calls': 'Ausgeführte Aufrufe',
    'kcconnect.call.ok': 'beantwortet',
    'kcconnect.auth.token': 'Keycafe hat diese E-Mail mit diesem API-Token nicht akzeptiert („{email}/token“). Prüfen Sie das Token oder wählen Sie „API-Schlüssel“, wenn Sie einen Schlüssel aus den Kontoeinstellungen kopiert haben.',
    'kcconnect.auth.key': 'Keycafe hat diese E-Mail mit diesem API-Schlüssel nicht akzeptiert („{email}/key“). Prüfen Sie den Schlüssel in den Kontoeinstellungen oder wählen Sie „API-Token“.',
    'kcconnect.auth.none': 'Keycafe hat für {email} weder ein API-Token noch einen API-Schlüssel akzeptiert',
    'kcconnect.skipped': '{count} Datensätze von Keycafe hatten nicht die dokumentierte Form und wurden übersprungen',
    'kcconnect.testRateLimited': 'Zu viele Keycafe-Verbindungstests Ihrer Organisation: versuchen Sie es in {seconds} s erneut',
    'kcconnect.noLocations': 'Noch kein Standort mit Keycafe-Konto',
  },
  fr: {
    'kcconnect.authType.label': 'Identifiant Keycafe',
    'kcconnect.authType.auto': 'Je ne sais pas : essayer les deux',
    'kcconnect.authType.token': "jeton d'API",
    'kcconnect.authType.key': "clé d'API",
    'kcconnect.authType.tokenHow':
      "Un jeton d'API se crée avec l'e-mail et le mot de passe Keycafe : curl -X POST -u \"vous@example.com:motdepasse\" https://www.keycafe.com/v0/authorization (fonctionne avec la 2FA de connexion).",
    'kcconnect.authType.keyHow': "Une clé d'API se génère dans les paramètres du compte Keycafe. Keycafe les déclare obsolètes ; elles fonctionnent encore.",
    'kcconnect.secret.label': 'Jeton ou clé',
    'kcconnect.email.label': 'E-mail du compte Keycafe',
    'kcconnect.test': 'Tester la connexion Keycafe',
    'kcconnect.save': 'Enregistrer le compte Keycafe',
    'kcconnect.ok': 'Keycafe a répondu avec la {authType} : {keys} clés dans {locations} emplacements SmartBox',
    'kcconnect.calls': 'Appels effectués',
    'kcconnect.call.ok': 'répondu',
    'kcconnect.auth.token': "Keycafe n'a pas accepté cet e-mail avec ce jeton d'API (« {email}/token »). Vérifiez le jeton, ou choisissez « clé d'API » si vous avez copié une clé des paramètres du compte.",
    'kcconnect.auth.key': "Keycafe n'a pas accepté cet e-mail avec cette clé d'API (« {email}/key »). Vérifiez la clé dans les paramètres du compte, ou choisissez « jeton d'API ».",
    'kcconnect.auth.none': "Keycafe n'a accepté ni jeton ni clé d'API pour {email}",
    'kcconnect.skipped': "{count} enregistrements de Keycafe n'avaient pas la forme documentée et ont été ignorés",
    'kcconnect.testRateLimited': 'Trop de tests de connexion Keycafe pour votre organisation : réessayez dans {seconds} s',
    'kcconnect.noLocations': 'Aucun site avec un compte Keycafe pour le moment',
  },
} satisfies Catalog<typeof en>;
