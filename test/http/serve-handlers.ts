/**
 * The same msw handlers over real HTTP on 127.0.0.1, so a real CLI process can talk to a local
 * GitLab stand-in: each request becomes a fetch `Request` answered by msw's `getResponse`.
 *
 *   npx tsx test/http/serve-handlers.ts examples/workspace [--port 8929] [--token T] [--tier free]
 *     [--link acme=security/policies]...
 *
 * prints `CI_SERVER_URL=http://127.0.0.1:PORT` and the token to use, and serves until killed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { getResponse, type RequestHandler } from 'msw';
import { gitlabHandlersFor } from './gitlab-handlers.js';
import { DEFAULT_TOKEN, type Tier } from './gitlab-instance.js';

export interface ServedHandlers {
  /** `http://127.0.0.1:PORT`, the CI_SERVER_URL of the stand-in. */
  readonly url: string;
  /** Requests answered so far, as `METHOD path?query`. */
  readonly requests: readonly string[];
  /**
   * Times the stand-in went from idle to busy: requests sent together overlap and count once,
   * so this approximates the round trips a client waited for one after another.
   */
  busyPeriods(): number;
  /** The requests grouped by the busy period they came in. */
  rounds(): string[][];
  /**
   * Gated stand-ins only: waits until `count` requests are held unanswered (or `settled` settles),
   * then answers them all and returns them. A client sends a round's requests without waiting
   * for any answer, so what arrives while every answer is held is one round, on any machine load.
   */
  releaseRound(count: number, settled: Promise<unknown>): Promise<string[]>;
  /** Gated stand-ins only: stops holding answers; returns the requests that were held. */
  openGate(): string[];
  /** Gated stand-ins only: holds answers again, e.g. for the next run of a test file. */
  closeGate(): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly port?: number;
  /** Delay before each answer, as a network would add: requests sent together then overlap. */
  readonly latencyMs?: number;
  /** Hold every answer until the test releases it (releaseRound), to count rounds by dependency. */
  readonly gated?: boolean;
}

/** How long a gated round may wait for its requests before it is released as it is (a failure). */
const STALLED_ROUND_MS = 30_000;

/** Serves the handlers `handlersFor(url)` builds once the port is known (Link headers name it). */
export async function serveHandlers(handlersFor: (baseUrl: string) => RequestHandler[], options: ServeOptions = {}): Promise<ServedHandlers> {
  let handlers: RequestHandler[] = [];
  const requests: string[] = [];
  const load = { inFlight: 0, busyPeriods: 0 };
  const periods: number[] = [];
  const gate = { open: options.gated !== true, held: [] as { request: string; release: () => void }[], changed: () => {} };
  const server = createServer((incoming, outgoing) => {
    requests.push(`${incoming.method ?? 'GET'} ${incoming.url ?? '/'}`);
    if (load.inFlight === 0) load.busyPeriods += 1;
    periods.push(load.busyPeriods);
    load.inFlight += 1;
    outgoing.on('close', () => {
      load.inFlight -= 1;
    });
    const latency = options.latencyMs ?? 0;
    const released = gate.open
      ? Promise.resolve()
      : new Promise<void>((release) => {
          gate.held.push({ request: `${incoming.method ?? 'GET'} ${incoming.url ?? '/'}`, release });
          gate.changed();
        });
    const answered = released
      .then(() => (latency > 0 ? delay(latency) : undefined))
      .then(() => answer(incoming, outgoing, handlers, url));
    answered.catch((error: unknown) => {
      outgoing.statusCode = 500;
      outgoing.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handlers = handlersFor(url);
  return {
    url,
    requests,
    busyPeriods: () => load.busyPeriods,
    rounds: () => {
      const rounds: string[][] = [];
      requests.forEach((request, index) => (rounds[(periods[index] ?? 1) - 1] ??= []).push(request));
      return rounds.filter((round) => round !== undefined);
    },
    async releaseRound(count, settled) {
      let stalled: NodeJS.Timeout | undefined;
      await Promise.race([
        settled.catch(() => undefined),
        new Promise<void>((resolve) => {
          stalled = setTimeout(resolve, STALLED_ROUND_MS);
          gate.changed = () => {
            if (gate.held.length >= count) resolve();
          };
          gate.changed();
        }),
      ]);
      clearTimeout(stalled);
      gate.changed = () => {};
      const round = gate.held.splice(0);
      for (const held of round) held.release();
      return round.map((held) => held.request);
    },
    closeGate() {
      gate.open = false;
    },
    openGate() {
      gate.open = true;
      const rest = gate.held.splice(0);
      for (const held of rest) held.release();
      return rest.map((held) => held.request);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(incoming: IncomingMessage, outgoing: ServerResponse, handlers: RequestHandler[], base: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = incoming.method ?? 'GET';
  const request = new Request(new URL(incoming.url ?? '/', base), {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
  });
  const response = await getResponse(handlers, request);
  if (response === undefined) {
    outgoing.writeHead(501, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify({ message: `501 No handler for ${method} ${incoming.url ?? '/'}` }));
    return;
  }
  outgoing.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const workspace = args[0] ?? 'examples/workspace';
  const token = option(args, '--token') ?? DEFAULT_TOKEN;
  const tier = (option(args, '--tier') ?? 'ultimate') as Tier;
  // --link acme=security/policies links a security policy project to a group or project.
  const links = args.flatMap((arg, index) => (arg === '--link' && args[index + 1] !== undefined ? [args[index + 1]!.split('=')] : []));
  const securityPolicyProjects = Object.fromEntries(links.filter((pair) => pair.length === 2));
  const served = await serveHandlers(
    (baseUrl) => gitlabHandlersFor(workspace, { baseUrl, token, tier, securityPolicyProjects }),
    { port: Number(option(args, '--port') ?? 0) },
  );
  process.stdout.write(`CI_SERVER_URL=${served.url}\nPOLICY_SIDECAR_TOKEN=${token}\n`);
}
