/**
 * Serves a fake's Hono app on localhost: one way for every fake to listen (port 0 = any free
 * port), survive clients that drop the connection, and close with its open sockets.
 */
import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { serve } from '@hono/node-server';

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

export async function serveFake(app: { fetch: (req: Request) => Response | Promise<Response> }, opts: ServeFakeOptions = {}): Promise<ServedFake> {
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port: opts.port ?? 0,
        ...(opts.https ? { createServer: createHttpsServer, serverOptions: { key: opts.https.key, cert: opts.https.cert } } : {}),
      },
      () => resolve(s),
    );
  });
  // A dropped connection or a client that gave up must not crash the fake.
  server.on('clientError', (_err, socket) => socket.destroy());
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.https ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
