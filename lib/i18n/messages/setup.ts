import type { Catalog } from '../catalog.ts';

// The guided setup at the top of the options page (components/options/SetupGuide.tsx).
const en = {
  'setup.heading': 'Get started',
  'setup.progress': 'Step {done} of {total} done',
  'setup.step.connect': 'Connect to the AccessBridge API',
  'setup.step.location': 'Choose your location',
  'setup.step.manager': 'Grant access to your manager site',
  'setup.step.done': 'Done',
  'setup.hint.connect': 'enter the API URL and token below, then Save.',
  'setup.hint.location': 'pick the location under Preferences.',
  'setup.hint.manager': 'under Manager sites, press “Grant access to this site” and accept the browser’s prompt.',
  'setup.hint.done': 'open a lock in the Tapkey portal and press “Map to Tapkey lock”.',
  'setup.state.done': 'done',
  'setup.allDone': 'All set: open a lock in the Tapkey portal or a unit in your manager to start.',
} as const;

export default {
  en,
  de: {
    'setup.heading': 'Erste Schritte',
    'setup.progress': '{done} von {total} Schritten erledigt',
    'setup.step.connect': 'Mit der AccessBridge-API verbinden',
    'setup.step.location': 'Standort wählen',
    'setup.step.manager': 'Zugriff auf Ihre Verwaltungsseite erlauben',
    'setup.step.done': 'Fertig',
    'setup.hint.connect': 'API-URL und Token unten eingeben und speichern.',
    'setup.hint.location': 'den Standort unter „Einstellungen“ auswählen.',
    'setup.hint.manager': 'unter „Manager-Seiten“ auf „Zugriff auf diese Website erlauben“ klicken und die Abfrage des Browsers bestätigen.',
    'setup.hint.done': 'ein Schloss im Tapkey-Portal öffnen und auf „Tapkey-Schloss zuordnen“ klicken.',
    'setup.state.done': 'erledigt',
    'setup.allDone': 'Alles bereit: Öffnen Sie ein Schloss im Tapkey-Portal oder eine Einheit in Ihrer Verwaltung, um zu beginnen.',
  },
  fr: {
    'setup.heading': 'Premiers pas',
    'setup.progress': '{done} étape(s) sur {total} terminée(s)',
    'setup.step.connect': "Se connecter à l'API AccessBridge",
    'setup.step.location': 'Choisir votre site',
    'setup.step.manager': "Autoriser l'accès à votre logiciel de gestion",
    'setup.step.done': 'Terminé',
    'setup.hint.connect': "saisissez l'URL de l'API et le jeton ci-dessous, puis enregistrez.",
    'setup.hint.location': 'choisissez le site dans « Préférences ».',
    'setup.hint.manager': "dans « Sites de gestion », cliquez sur « Donner accès à ce site » et acceptez la demande du navigateur.",
    'setup.hint.done': 'ouvrez une serrure dans le portail Tapkey et cliquez sur « Associer la serrure Tapkey ».',
    'setup.state.done': 'terminé',
    'setup.allDone': 'Tout est prêt : ouvrez une serrure dans le portail Tapkey ou une unité dans votre logiciel de gestion pour commencer.',
  },
} satisfies Catalog<typeof en>;
