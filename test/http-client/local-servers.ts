/**
 * Real servers for the HTTP client tests, all on 127.0.0.1 and nothing else: a scripted
 * HTTP(S) server (the nth request gets the nth handler; a request past the script or a handler
 * left unused fails the test), a CONNECT proxy that only tunnels to 127.0.0.1, a TCP server
 * that never speaks, and a port nobody listens on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type Socket, type Server as TcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOST = '127.0.0.1';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void;

export interface ScriptedServer {
  /** `http://127.0.0.1:port` or `https://…`. */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Handlers not yet used; a test expects this to be 0 at its end. */
  unusedHandlers(): number;
  close(): Promise<void>;
}

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
  readonly certPath: string;
  remove(): void;
}

export async function startScriptedServer(script: readonly Handler[], tls?: TlsMaterial): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const handler = script[requests.length - 1];
      if (handler === undefined) {
        response.statusCode = 418; // not retryable, so the test fails at once with this status
        response.end(JSON.stringify({ message: `unexpected request ${requests.length}: ${recorded.method} ${recorded.url}` }));
        return;
      }
      handler(recorded, response);
    });
  };
  const server: Server = tls === undefined ? createHttpServer(listener) : createHttpsServer({ key: tls.key, cert: tls.cert }, listener);
  const port = await listen(server);
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://${HOST}:${port}`,
    requests,
    unusedHandlers: () => Math.max(0, script.length - requests.length),
    close: () => closeServer(server),
  };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(value));
  };
}

export interface TunnelProxy {
  readonly url: string;
  /** `host:port` of every CONNECT received. */
  readonly tunnels: string[];
  close(): Promise<void>;
}

/** A CONNECT proxy (what undici's ProxyAgent speaks for http and https targets alike). */
export async function startTunnelProxy(): Promise<TunnelProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_request, response) => {
    response.statusCode = 405;
    response.end('CONNECT only');
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    tunnels.push(target);
    const [host, port] = target.split(':');
    sockets.add(client);
    client.on('error', () => undefined);
    if (host !== HOST || port === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n'); // never reach past 127.0.0.1
      return;
    }
    const upstream = connect(Number(port), HOST, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://${HOST}:${port}`,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

/** Accepts TCP connections and never writes: a TLS handshake to it never completes. */
export async function startSilentTcpServer(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that was just free: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/** A self-signed certificate for 127.0.0.1 (EC, so it takes milliseconds), written to a temp folder. */
export function createSelfSignedCertificate(): TlsMaterial {
  const folder = mkdtempSync(join(tmpdir(), 'policy-sidecar-tls-'));
  const keyPath = join(folder, 'key.pem');
  const certPath = join(folder, 'cert.pem');
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return {
    key: readFileSync(keyPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    certPath,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return (server.address() as AddressInfo).port; // listening on a TCP port, so an AddressInfo
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
