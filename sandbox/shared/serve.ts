/**
 * Serves a fake on localhost: one way for every fake to listen (port 0 = any free port),
 * survive clients that drop the connection, and close with its open sockets. A fake is a Hono
 * app (`fetch`; its handlers get the Node request as `c.env.incoming`) or a plain Node request
 * handler (the Keycafe fake, which holds and destroys responses itself).
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type HttpBindings } from '@hono/node-server';

export interface ServedFake {
  url: string;
  close(): Promise<void>;
}

export interface ServeFakeOptions {
  host?: string;
  port?: number;
  /** Serve HTTPS with this key and certificate (the portal fake's secure-context tests). */
  https?: { key: string | Buffer; cert: string | Buffer };
}

export type FetchApp = { fetch: (req: Request, env: HttpBindings) => Response | Promise<Response> };
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export async function serveFake(app: FetchApp | NodeHandler, opts: ServeFakeOptions = {}): Promise<ServedFake> {
  const host = opts.host ?? '127.0.0.1';
  const listener = typeof app === 'function' ? app : getRequestListener(app.fetch as (req: Request, env: unknown) => Response | Promise<Response>, { hostname: host });
  const server = opts.https ? createHttpsServer({ key: opts.https.key, cert: opts.https.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A dropped connection or a client that gave up must not crash the fake.
  server.on('clientError', (_err, socket) => socket.destroy());
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
