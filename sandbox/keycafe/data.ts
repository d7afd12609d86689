/**
 * The sandbox Keycafe account's SmartBox locations and keys, named the way operators name key
 * sets. The Berlin site is the demo world's storage site (sandbox/demo-data.ts): every unit
 * has a spare key there, so the same "A-01" shows in the manager, on Tapkey and in Keycafe.
 * More than 50 keys, so lists page. Time zones on two continents, so DST rules differ.
 */
import { demoUnits } from '../demo-data.ts';

/** Keycafe's location address is an object (docs.keycafe.com/reference/webhook-notifications). */
export interface SeedAddress {
  street: string;
  city: string;
  province?: string;
  postalCode: string;
  country: string;
}

export interface SeedLocation {
  id: number;
  name: string;
  address: SeedAddress;
  timeZone: string;
}

export interface SeedKey {
  id: number;
  name: string;
  serialNumber: string;
  homeLocationId: number;
  description: string | null;
}

export const DEMO_KEYCAFE_EMAIL = 'demo@accessbridge.test';
export const DEMO_KEYCAFE_TOKEN = 'kc_sandbox_demo_token';

export function seedLocations(): SeedLocation[] {
  return [
    { id: 501, name: 'Berlin Mitte – Storage reception', address: { street: 'Invalidenstraße 112', city: 'Berlin', postalCode: '10115', country: 'DE' }, timeZone: 'Europe/Berlin' },
    { id: 502, name: 'Lyon Part-Dieu – Accueil', address: { street: '140 Rue Garibaldi', city: 'Lyon', postalCode: '69003', country: 'FR' }, timeZone: 'Europe/Paris' },
    { id: 503, name: 'Vancouver Yaletown SmartBox', address: { street: '1088 Homer St', city: 'Vancouver', province: 'BC', postalCode: 'V6B 2W9', country: 'CA' }, timeZone: 'America/Vancouver' },
    { id: 504, name: 'Brooklyn Navy Yard – Building 77', address: { street: '141 Flushing Ave', city: 'Brooklyn', province: 'NY', postalCode: '11205', country: 'US' }, timeZone: 'America/New_York' },
  ];
}

/**
 * Other operators' public Keycafe locations: `GET /v0/location` without a filter lists the
 * whole directory (search-locations: "Omitting the search query will return all locations"),
 * so a connector that reads it as "the account's locations" shows these.
 */
export function publicDirectoryLocations(): SeedLocation[] {
  const cities: [string, string, string, string][] = [
    ['Corner Cafe', 'Vancouver', 'America/Vancouver', 'CA'],
    ['Gastown Coffee', 'Vancouver', 'America/Vancouver', 'CA'],
    ['Queen St Laundromat', 'Toronto', 'America/Toronto', 'CA'],
    ['Mission Deli', 'San Francisco', 'America/Los_Angeles', 'US'],
  ];
  const out: SeedLocation[] = [];
  for (let i = 0; i < 60; i++) {
    const [name, city, tz, country] = cities[i % cities.length]!;
    out.push({ id: 900 + i, name: `${name} #${i + 1}`, address: { street: `${100 + i} Main St.`, city, postalCode: '00000', country }, timeZone: tz });
  }
  return out;
}

export const formatAddress = (a: SeedAddress) => [a.street, a.city, a.province, a.postalCode, a.country].filter(Boolean).join(', ');

const serial = (n: number) => `KC${(0x3a7f00 + n * 7919).toString(16).toUpperCase()}`;

export function seedKeys(): SeedKey[] {
  const keys: Omit<SeedKey, 'id' | 'serialNumber'>[] = [
    ...demoUnits().map((u) => ({ name: `Unit ${u.name} – spare key`, homeLocationId: 501, description: `${u.size} unit, spare padlock key` })),
    { name: 'Main entrance master key', homeLocationId: 501, description: 'Front door and reception' },
    { name: 'Loading bay gate fob', homeLocationId: 501, description: null },
    { name: 'Elevator lobby key', homeLocationId: 501, description: 'Goods lift override' },
    { name: 'Forklift ignition key', homeLocationId: 501, description: 'Linde H25, yard' },
    { name: 'Moving van VW Crafter (B-AB 1234)', homeLocationId: 501, description: 'Customer hire van' },
    { name: 'Camionnette Renault Master – clés', homeLocationId: 502, description: 'Location à la journée' },
    { name: 'Local vélos – badge', homeLocationId: 502, description: null },
    { name: 'Box 12 – double de clé', homeLocationId: 502, description: null },
    { name: 'Suite 1203 – guest set (2 keys + fob)', homeLocationId: 503, description: 'Short-stay apartment' },
    { name: 'Parkade fob P2', homeLocationId: 503, description: null },
    { name: 'Mailbox key #41', homeLocationId: 503, description: null },
    { name: 'Unit 3F – contractor set', homeLocationId: 504, description: 'HVAC contractor access' },
    { name: 'Roof access key', homeLocationId: 504, description: null },
  ];
  return keys.map((k, i) => ({ ...k, id: 10001 + i, serialNumber: serial(i + 1) }));
}
