/** The booking dialog's host services for its parts: the API it books through. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { KeycafeApi } from './api.ts';

export const KeycafeApiContext = createContext<KeycafeApi | null>(null);

export function useKeycafeApi(): KeycafeApi {
  const api = useContext(KeycafeApiContext);
  if (!api) throw new Error('The Keycafe dialog needs a KeycafeApiContext provider');
  return api;
}
