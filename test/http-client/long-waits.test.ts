/**
 * GitLab's application rate limiter asks for up to a minute (docs "security/rate_limits": the
 * 429 carries Retry-After, the seconds until the limit's period resets). Reads wait that long,
 * within the run's time budget; writes keep the short ceiling; and the client never has more
 * requests in flight than its cap. Sleeps are recorded, never slept: decisions, not durations.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SETTINGS } from '../../src/http/retry-policy.js';
import { failure, useScriptedServer } from './test-client.js';
import { json, type Handler } from './local-servers.js';

const scripted = useScriptedServer();
const serve = scripted.serve;
const rateLimited = (seconds: number): Handler => json(429, { message: 'Retry later' }, { 'retry-after': String(seconds), 'ratelimit-remaining': '0' });

describe('server-requested waits', () => {
  it('a read waits a 45 s Retry-After (GitLab application limits ask for up to 60 s), then succeeds', async () => {
    const { client, sleeps } = await serve([rateLimited(45), json(200, { id: 1 })], { retries: DEFAULT_RETRY_SETTINGS });
    await expect(client.request('GET', '/projects/1')).resolves.toMatchObject({ status: 200 });
    expect(sleeps).toEqual([45_000]);
  });

  it('a write does not wait 45 s: it fails at once naming the wait', async () => {
    const { client, sleeps } = await serve([rateLimited(45)], { retries: DEFAULT_RETRY_SETTINGS });
    const error = await failure(client.request('POST', '/projects/1/notes', { json: { body: 'x' } }));
    expect(error.code).toBe('http-rate-limited');
    expect(error.message).toContain('asked to wait 45 s (Retry-After), longer than the 10 s this client waits');
    expect(sleeps).toEqual([]);
  });

  it('a read fails at once when the wait would outlive the time budget', async () => {
    let clock = 1_700_000_000_000;
    const { client, sleeps } = await serve([json(200, {}), rateLimited(45)], { retries: DEFAULT_RETRY_SETTINGS, timeBudgetMs: 60_000, now: () => clock });
    await client.request('GET', '/projects/1');
    clock += 30_000; // half the budget is spent: 45 s no longer fits
    const error = await failure(client.request('GET', '/projects/2'));
    expect(error.code).toBe('http-rate-limited');
    expect(error.message).toContain("asked to wait 45 s (Retry-After), more than the 30 s left of this run's time budget");
    expect(sleeps).toEqual([]);
  });

  it('a wait past the read ceiling still fails: 120 s is more than GitLab asks', async () => {
    const { client, sleeps } = await serve([rateLimited(120)], { retries: DEFAULT_RETRY_SETTINGS });
    const error = await failure(client.request('GET', '/projects/1'));
    expect(error.message).toContain('longer than the 60 s this client waits');
    expect(sleeps).toEqual([]);
  });
});

describe('fan-out cap', () => {
  it('never has more requests in flight than maxConcurrency', async () => {
    let inFlight = 0;
    const seen: number[] = [];
    // Each answer is held a little: without the cap every request would be in flight at once.
    const slow: Handler = (_request, response) => {
      inFlight += 1;
      seen.push(inFlight);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, 20);
    };
    const { client } = await serve(Array.from({ length: 8 }, () => slow), { maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, index) => client.request('GET', `/projects/${index}`)));
    expect(seen).toHaveLength(8);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
  });
});
