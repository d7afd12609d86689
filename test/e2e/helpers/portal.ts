import { startTapkeyPortal, type TapkeyPortal, type TapkeyPortalOptions } from '../../../sandbox/tapkey-portal/index.ts';
import { selfSignedCert } from './cert.ts';

export const TAPKEY_PORTAL_HOST = 'my.tapkey.com';

export interface PortalAsTapkey extends TapkeyPortal {
  /** The URL the browser uses: https://my.tapkey.com */
  origin: string;
  /** Pass to launchWithExtension({ hostRules }): my.tapkey.com → this server. */
  hostRule: string;
  /** https://my.tapkey.com<path> */
  at(path: string): string;
}

/**
 * The sandbox portal over HTTPS on an ephemeral port, to be reached as https://my.tapkey.com
 * through Chromium's --host-resolver-rules: the extension's manifest match pattern is then
 * exercised exactly as on the real portal.
 */
export async function servePortalAsTapkey(opts: Omit<TapkeyPortalOptions, 'https' | 'host'> = {}): Promise<PortalAsTapkey> {
  const portal = await startTapkeyPortal({ ...opts, host: '127.0.0.1', https: selfSignedCert([TAPKEY_PORTAL_HOST]) });
  const port = new URL(portal.url).port;
  const origin = `https://${TAPKEY_PORTAL_HOST}`;
  return { ...portal, origin, hostRule: `MAP ${TAPKEY_PORTAL_HOST} 127.0.0.1:${port}`, at: (path) => origin + path };
}
