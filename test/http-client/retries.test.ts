/** Retries over real HTTP: which failures repeat, how long the client waits, and when it stops. */
import { describe, expect, it } from 'vitest';
import { expectNoToken, failure, useScriptedServer } from './test-client.js';
import { json, type Handler } from './local-servers.js';

const scripted = useScriptedServer();
const serve = scripted.serve;

const reset: Handler = (request, response) => {
  void request;
  response.socket?.resetAndDestroy();
};
const hangUp: Handler = (_request, response) => {
  response.socket?.destroy();
};

describe('retries', () => {
  it('retries 500 and 502 with exponential backoff, then returns the answer', async () => {
    const { client, sleeps, events } = await serve([json(500, { message: 'boom' }), json(502, {}), json(200, { id: 1 })]);
    const response = await client.request('GET', '/projects/1');
    expect(response.json()).toEqual({ id: 1 });
    // equal jitter with random 0.5: step 100 → 75, step 200 → 150
    expect(sleeps).toEqual([75, 150]);
    expect(events.map((event) => [event.attempt, event.status])).toEqual([[1, 500], [2, 502], [3, 200]]);
  });

  it('retries a connection reset (ECONNRESET) and a connection closed mid-request', async () => {
    const { client, sleeps } = await serve([reset, hangUp, json(200, [])]);
    await expect(client.request('GET', '/projects')).resolves.toMatchObject({ status: 200 });
    expect(sleeps).toHaveLength(2);
  });

  it('waits the Retry-After seconds of a 429', async () => {
    const { client, sleeps } = await serve([json(429, { message: 'Retry later' }, { 'retry-after': '3' }), json(200, {})]);
    await client.request('GET', '/projects/1');
    expect(sleeps).toEqual([3000]);
  });

  it('waits until the Retry-After HTTP date of a 429', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const { client, sleeps } = await serve([json(429, {}, { 'retry-after': 'Wed, 01 Jan 2025 00:00:04 GMT' }), json(200, {})], { now: () => now });
    await client.request('GET', '/projects/1');
    expect(sleeps).toEqual([4000]);
  });

  it('waits for GitLab RateLimit-Reset on a 429 without Retry-After', async () => {
    const now = 1_700_000_000_000;
    const headers = { 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 + 2) };
    const { client, sleeps } = await serve([json(429, {}, headers), json(200, {})], { now: () => now });
    await client.request('GET', '/projects/1');
    expect(sleeps).toEqual([2000]);
  });

  it('pauses the next request after a success that used up the quota', async () => {
    const now = 1_700_000_000_000;
    const headers = { 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 + 1) };
    const { client, sleeps } = await serve([json(200, {}, headers), json(200, {})], { now: () => now });
    await client.request('GET', '/projects/1');
    expect(sleeps).toEqual([]);
    await client.request('GET', '/projects/2');
    expect(sleeps).toEqual([1000]);
  });

  it('requests already waiting share one quota pause', async () => {
    const now = 1_700_000_000_000;
    const headers = { 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 + 4) };
    let release: () => void = () => undefined;
    const sleeps: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      sleeps.push(ms);
      return new Promise((resolve) => (release = resolve));
    };
    const { client } = await serve([json(200, {}, headers), json(200, {}), json(200, {})], { now: () => now, sleep });
    await client.request('GET', '/first');
    const both = Promise.all([client.request('GET', '/a'), client.request('GET', '/b')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(scripted.server.requests).toHaveLength(1); // both are held by the pause
    release();
    await both;
    expect(sleeps).toEqual([4000]);
    expect(scripted.server.requests).toHaveLength(3);
  });

  it('fails at once, naming the wait, when the server asks for longer than maxDelayMs', async () => {
    const { client, sleeps } = await serve([json(429, {}, { 'retry-after': '120' })]);
    const error = await failure(client.request('GET', '/projects/1'));
    expect(error.code).toBe('http-rate-limited');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('asked to wait 120 s (Retry-After), longer than the 5 s this client waits');
    expect(sleeps).toEqual([]);
  });

  it('stops after max retries with http-retries-exhausted naming method, endpoint and last status', async () => {
    const { client, sleeps } = await serve([json(503, {}), json(502, {}), json(502, { message: 'upstream down' })]);
    const error = await failure(client.request('GET', '/projects/acme%2Fweb'));
    expect(error.code).toBe('http-retries-exhausted');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET ${scripted.server.origin}/api/v4/projects/acme%2Fweb failed after 3 attempts; the last answer was HTTP 502 Bad Gateway: upstream down`);
    expect(error.hint).toContain('try again later');
    expect(sleeps).toEqual([75, 150]);
    expectNoToken(error);
  });

  it('caps each backoff step at maxDelayMs', async () => {
    const { client, sleeps } = await serve([json(500, {}), json(500, {}), json(500, {}), json(200, {})], {
      retries: { max: 3, baseDelayMs: 1000, maxDelayMs: 1500 },
      random: () => 0.999,
    });
    await client.request('GET', '/x');
    expect(sleeps).toEqual([1000, 1499, 1499]);
  });

  it('does not repeat a POST that got a 5xx: it may have been applied', async () => {
    const { client } = await serve([json(502, {})]);
    const error = await failure(client.request('POST', '/projects/1/notes', { json: { body: 'hi' } }));
    expect(error.code).toBe('http-502');
    expect(scripted.server.requests[0]?.body).toBe('{"body":"hi"}');
    expect(scripted.server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('repeats a POST marked idempotent, and any method on a 429', async () => {
    const { client } = await serve([json(502, {}), json(201, {}), json(429, {}, { 'retry-after': '0' }), json(201, {})]);
    await expect(client.request('POST', '/a', { idempotent: true })).resolves.toMatchObject({ status: 201 });
    await expect(client.request('POST', '/b')).resolves.toMatchObject({ status: 201 });
  });

  it('returns statuses the caller accepts instead of throwing or retrying', async () => {
    const { client } = await serve([json(404, { message: '404 File Not Found' }), (_request, response) => response.writeHead(304).end()]);
    await expect(client.request('GET', '/f', { acceptStatuses: [404] })).resolves.toMatchObject({ status: 404 });
    await expect(client.request('GET', '/f', { acceptStatuses: [304] })).resolves.toMatchObject({ status: 304 });
  });
});
