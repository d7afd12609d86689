import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away self-signed certificate for `hostnames`, made with the openssl CLI at test
 * time (nothing committed, nothing downloaded). Chromium still needs
 * --ignore-certificate-errors to accept it.
 */
export function selfSignedCert(hostnames: string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ab-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-subj', `/CN=${hostnames[0]}`,
        '-addext', `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')}`,
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
