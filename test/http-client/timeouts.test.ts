/**
 * Timeouts and unreachable servers, on real sockets. undici checks connect and header timeouts
 * on a coarse tick (about 1 s whatever the limit), so each timed-out attempt costs ~1 s:
 * only the read-timeout case retries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/http/dispatcher.js';
import { createTestClient, expectNoToken, failure, type TestClient } from './test-client.js';
import { closedPort, json, startScriptedServer, startSilentTcpServer, type Handler } from './local-servers.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function clientFor(origin: string, timeouts: { connectTimeoutMs: number; readTimeoutMs: number }, maxRetries = 1): TestClient {
  const setup = createTestClient(origin, { dispatcher: createDispatcher({}, timeouts), retries: { max: maxRetries, baseDelayMs: 10, maxDelayMs: 100 } });
  cleanups.push(() => setup.dispatcher.close());
  return setup;
}

const neverAnswer: Handler = () => undefined;

describe('timeouts', () => {
  it('a server that accepts and never answers ends in http-timeout after the retries', async () => {
    const server = await startScriptedServer([neverAnswer, neverAnswer]);
    cleanups.push(() => server.close());
    const { client, events } = clientFor(server.origin, { connectTimeoutMs: 1000, readTimeoutMs: 150 });
    const error = await failure(client.request('GET', '/projects/1'));
    expect(error.code).toBe('http-timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET ${server.origin}/api/v4/projects/1 failed after 2 attempts; the last error was UND_ERR_HEADERS_TIMEOUT (no response within the read timeout)`);
    expect(error.hint).toContain('did not answer in time');
    expect(events.map((event) => event.status)).toEqual([undefined, undefined]);
    expect(server.requests).toHaveLength(2);
    expectNoToken(error);
  });

  it('a body that stalls mid-way is a read timeout too, and is retried', async () => {
    const stall: Handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('[');
    };
    const server = await startScriptedServer([stall, json(200, [1])]);
    cleanups.push(() => server.close());
    const { client } = clientFor(server.origin, { connectTimeoutMs: 1000, readTimeoutMs: 150 });
    await expect(client.request('GET', '/x').then((response) => response.json())).resolves.toEqual([1]);
  });

  it('a TLS handshake that never completes ends in http-timeout (connect timeout)', async () => {
    const silent = await startSilentTcpServer();
    cleanups.push(() => silent.close());
    const { client } = clientFor(`https://127.0.0.1:${silent.port}`, { connectTimeoutMs: 150, readTimeoutMs: 1000 }, 0);
    const error = await failure(client.request('GET', '/projects/1'));
    expect(error.code).toBe('http-timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET https://127.0.0.1:${silent.port}/api/v4/projects/1 failed: UND_ERR_CONNECT_TIMEOUT (no connection within the connect timeout)`);
  });

  it('a closed port is retried (even for POST: nothing was sent), then named in the error', async () => {
    const port = await closedPort();
    const { client, sleeps } = clientFor(`http://127.0.0.1:${port}`, { connectTimeoutMs: 500, readTimeoutMs: 500 });
    const error = await failure(client.request('POST', '/projects/1/notes'));
    expect(error.code).toBe('http-retries-exhausted');
    expect(error.message).toContain('failed after 2 attempts; the last error was ECONNREFUSED (connection refused)');
    expect(error.hint).toContain('HTTPS_PROXY / NO_PROXY');
    expect(sleeps).toHaveLength(1);
    expectNoToken(error);
  });

  it('with no retries, a network error keeps its own code', async () => {
    const port = await closedPort();
    const setup = createTestClient(`http://127.0.0.1:${port}`, { retries: { max: 0, baseDelayMs: 10, maxDelayMs: 100 } });
    cleanups.push(() => setup.dispatcher.close());
    const error = await failure(setup.client.request('GET', '/x'));
    expect(error.code).toBe('http-network');
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
