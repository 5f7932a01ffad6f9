/**
 * The include:remote fetcher over real HTTP: a node:http server on 127.0.0.1 only, one route
 * table per test, and every route must be used (an unused route is a failing test).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { createRemoteFetcher, type RemoteFetcherOptions } from '../../src/http/remote-fetcher.js';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
let routes: Map<string, Route>;
let used: Set<string>;

beforeEach(async () => {
  routes = new Map();
  used = new Set();
  server = createServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (route === undefined) {
      response.statusCode = 599; // fails the test: an unexpected request
      response.end(`no route for ${request.url}`);
      return;
    }
    used.add(request.url ?? '');
    route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect([...routes.keys()].filter((path) => !used.has(path)), 'routes never requested').toEqual([]);
});

function fetcher(overrides: Partial<RemoteFetcherOptions> = {}) {
  return createRemoteFetcher({ allowedHosts: ['127.0.0.1'], maxBytes: 1024, timeoutMs: 2000, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SourceError)) throw new Error(`expected a SourceError, got ${String(error)}`);
  return error;
}

describe('createRemoteFetcher', () => {
  it('returns the body of a 200 response', async () => {
    routes.set('/ci.yml', (_request, response) => response.end('job:\n  script: x\n'));
    await expect(fetcher().fetchText(`${base}/ci.yml`)).resolves.toBe('job:\n  script: x\n');
  });

  it('refuses every URL when no host is allowed, naming the flag', async () => {
    const error = await failure(fetcher({ allowedHosts: [] }).fetchText(`${base}/ci.yml`));
    expect(error.code).toBe('remote-disabled');
    expect(error.hint).toContain('--allow-remote-host 127.0.0.1');
  });

  it('refuses a host outside the allowlist without connecting', async () => {
    const error = await failure(fetcher({ allowedHosts: ['ci.example.com'] }).fetchText(`${base}/ci.yml`));
    expect(error.code).toBe('remote-host');
    expect(error.message).toBe(`Remote file \`${base}/ci.yml\` could not be fetched because host \`127.0.0.1\` is not allowed!`);
  });

  it('accepts a host with its port in the allowlist', async () => {
    routes.set('/ci.yml', (_request, response) => response.end('a: 1\n'));
    await expect(fetcher({ allowedHosts: [new URL(base).host] }).fetchText(`${base}/ci.yml`)).resolves.toBe('a: 1\n');
  });

  it('names the URL and the status of a non-2xx response', async () => {
    routes.set('/missing.yml', (_request, response) => {
      response.statusCode = 404;
      response.end('not found');
    });
    const error = await failure(fetcher().fetchText(`${base}/missing.yml`));
    expect(error.code).toBe('remote-status');
    expect(error.message).toBe(`Remote file \`${base}/missing.yml\` could not be fetched because of HTTP code \`404\` error!`);
    expect(error.retryable).toBe(false);
  });

  it('marks server errors retryable', async () => {
    routes.set('/flaky.yml', (_request, response) => {
      response.statusCode = 503;
      response.end();
    });
    expect((await failure(fetcher().fetchText(`${base}/flaky.yml`))).retryable).toBe(true);
  });

  it('refuses a body over the size limit announced by Content-Length', async () => {
    routes.set('/big.yml', (_request, response) => response.end('x'.repeat(2048)));
    const error = await failure(fetcher().fetchText(`${base}/big.yml`));
    expect(error.code).toBe('remote-too-large');
  });

  it('stops reading a streamed body once it passes the limit', async () => {
    let written = 0;
    routes.set('/stream.yml', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }); // chunked, no Content-Length
      const timer = setInterval(() => {
        written += 512;
        if (!response.write('y'.repeat(512)) || written > 64 * 1024) {
          clearInterval(timer);
          response.end();
        }
      }, 1);
      response.on('close', () => clearInterval(timer));
    });
    const error = await failure(fetcher().fetchText(`${base}/stream.yml`));
    expect(error.code).toBe('remote-too-large');
    expect(written).toBeLessThan(64 * 1024);
  });

  it('times out a response that never comes', async () => {
    routes.set('/slow.yml', () => {
      // never answers
    });
    const error = await failure(fetcher({ timeoutMs: 100 }).fetchText(`${base}/slow.yml`));
    expect(error.code).toBe('remote-timeout');
    expect(error.message).toBe(`Remote file \`${base}/slow.yml\` could not be fetched because of a timeout error!`);
    expect(error.retryable).toBe(true);
  });

  it('follows a redirect to an allowed host', async () => {
    routes.set('/old.yml', (_request, response) => {
      response.writeHead(302, { location: '/new.yml' });
      response.end();
    });
    routes.set('/new.yml', (_request, response) => response.end('moved: true\n'));
    await expect(fetcher().fetchText(`${base}/old.yml`)).resolves.toBe('moved: true\n');
  });

  it('refuses a redirect to a host outside the allowlist', async () => {
    routes.set('/escape.yml', (_request, response) => {
      response.writeHead(301, { location: 'http://ci.example.com/evil.yml' });
      response.end();
    });
    const error = await failure(fetcher().fetchText(`${base}/escape.yml`));
    expect(error.code).toBe('remote-host');
    expect(error.message).toContain('`ci.example.com` is not allowed');
  });

  it('gives up after too many redirects', async () => {
    routes.set('/loop.yml', (_request, response) => {
      response.writeHead(302, { location: '/loop.yml' });
      response.end();
    });
    const error = await failure(fetcher({ maxRedirects: 3 }).fetchText(`${base}/loop.yml`));
    expect(error.code).toBe('remote-redirects');
  });

  it.each(['ftp://127.0.0.1/a.yml', 'not a url'])('refuses %s as an address', async (url) => {
    const error = await failure(fetcher().fetchText(url));
    expect(error.code).toBe('remote-url');
  });

  it('keeps credentials in the URL out of messages', async () => {
    const error = await failure(fetcher({ allowedHosts: ['ci.example.com'] }).fetchText(`http://user:s3cret@127.0.0.1:1/a.yml`));
    expect(error.message).not.toContain('s3cret');
  });

  it('matches `*.example.com` to subdomains only', async () => {
    const wildcard = fetcher({ allowedHosts: ['*.example.com'] });
    expect((await failure(wildcard.fetchText('http://example.com/a.yml'))).code).toBe('remote-host');
    expect((await failure(wildcard.fetchText('http://evilexample.com/a.yml'))).code).toBe('remote-host');
  });
});
