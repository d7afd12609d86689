/**
 * The guess's vocabulary (guess.ts): the labels each field is commonly shown with, the state
 * words managers print, how each field's value must read to count, and the labels a profile
 * gets for a field no open tab showed.
 */
import type { Strategy } from './schema.ts';
import { parseDate, parseEmail, parsePhone, parseState, textOf, type Parse } from './values.ts';

export type GuessField = 'name' | 'location' | 'unitId' | 'tenantName' | 'tenantEmail' | 'tenantPhone' | 'moveIn' | 'moveOut' | 'state';

/**
 * Labels each field is commonly shown with, most specific first (English, German, French),
 * lower case without a trailing colon. A booking page's "Name" is the tenant's only after
 * "Tenant" and "Customer" were not found.
 */
export const fieldLabels: Record<GuessField, readonly string[]> = {
  name: ['unit name', 'unit', 'unit number', 'unit no.', 'name', 'einheit', 'einheitenname', 'bezeichnung', 'nummer', 'unité', 'nom'],
  location: ['location', 'site', 'facility', 'standort', 'filiale', 'lagerstandort', 'site de stockage', 'emplacement'],
  unitId: ['unit id', 'unit-id', 'einheiten-id', 'einheit-id', 'id de l’unité'],
  tenantName: ['tenant', 'tenant name', 'customer', 'customer name', 'renter', 'mieter', 'mieterin', 'kunde', 'kundin', 'locataire', 'client', 'name'],
  tenantEmail: ['email', 'e-mail', 'email address', 'e-mail address', 'e-mail-adresse', 'mail', 'courriel'],
  tenantPhone: ['phone', 'telephone', 'phone number', 'mobile', 'telefon', 'telefonnummer', 'handy', 'mobil', 'téléphone'],
  moveIn: ['move-in', 'move in', 'move-in date', 'start', 'start date', 'einzug', 'einzugsdatum', 'mietbeginn', 'vertragsbeginn', 'beginn', 'emménagement', 'début'],
  moveOut: ['move-out', 'move out', 'move-out date', 'end', 'end date', 'auszug', 'auszugsdatum', 'mietende', 'vertragsende', 'ende', 'déménagement', 'fin'],
  state: ['status', 'state', 'booking status', 'buchungsstatus', 'statut'],
};

/** State words managers commonly print, for the guessed profile's state labels. */
export const commonStateWords: Record<string, 'reserved' | 'active' | 'ended' | 'cancelled'> = {
  Active: 'active',
  Aktiv: 'active',
  Actif: 'active',
  Reserved: 'reserved',
  Reserviert: 'reserved',
  Réservé: 'reserved',
  'Moved out': 'ended',
  Ended: 'ended',
  Ausgezogen: 'ended',
  Beendet: 'ended',
  Terminé: 'ended',
  Cancelled: 'cancelled',
  Canceled: 'cancelled',
  Storniert: 'cancelled',
  Annulé: 'cancelled',
};

export const unitFieldNames = ['name', 'location'] as const;
export const bookingFieldNames = ['tenantName', 'tenantEmail', 'tenantPhone', 'moveIn', 'moveOut', 'state'] as const;

export const parsers: Record<GuessField, Parse<unknown>> = {
  name: textOf(200),
  location: textOf(200),
  unitId: (t) => (/^[\w.~-]{1,80}$/.test(t) ? { ok: true, value: t } : { ok: false, code: 'too_long', params: {} }),
  tenantName: textOf(200),
  tenantEmail: parseEmail,
  tenantPhone: parsePhone,
  moveIn: parseDate('DMY'),
  moveOut: parseDate('DMY'),
  state: parseState(commonStateWords),
};

const german = (lang: string | null) => Boolean(lang && /^de\b/i.test(lang));

/** Label strategies for a field no tab showed: the common labels, in the pages' language first. */
export function defaultLabels(field: GuessField, lang: string | null): Strategy[] {
  const picks: Record<GuessField, { en: string[]; de: string[] }> = {
    name: { en: ['Name', 'Unit name', 'Unit', 'Unit number'], de: ['Name', 'Einheit', 'Bezeichnung'] },
    location: { en: ['Location', 'Site'], de: ['Standort', 'Filiale'] },
    unitId: { en: ['Unit ID'], de: ['Einheiten-ID'] },
    tenantName: { en: ['Tenant', 'Customer', 'Renter'], de: ['Mieter', 'Kunde'] },
    tenantEmail: { en: ['Email', 'E-mail', 'Email address', 'E-mail address'], de: ['E-Mail', 'E-Mail-Adresse'] },
    tenantPhone: { en: ['Phone', 'Phone number', 'Mobile'], de: ['Telefon', 'Handy'] },
    moveIn: { en: ['Move-in', 'Move-in date', 'Start date'], de: ['Einzug', 'Mietbeginn'] },
    moveOut: { en: ['Move-out', 'Move-out date', 'End date'], de: ['Auszug', 'Mietende'] },
    state: { en: ['Status'], de: ['Status'] },
  };
  const { en, de } = picks[field];
  const ordered = german(lang) ? [...de, ...en] : [...en, ...de];
  return [...new Set(ordered)].slice(0, 6).map((label) => ({ from: 'label', label }));
}
