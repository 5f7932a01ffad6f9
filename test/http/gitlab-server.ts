/**
 * The one door to msw (STYLE "msw at the wire"): a vitest helper that intercepts every request
 * of the test file. An unmocked request fails the test, and so does a declared handler that no
 * request used: handlers given to `useGitlab` must each be used by the file, handlers given to
 * `use` inside a test by that test.
 */
import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import type { Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { FetchDispatcher } from './fetch-dispatcher.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** Request headers, lower-case names (the tests check that no token leaks and which header carried it). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface GitlabServer {
  /** Handlers for the current test only, tried before the file's; each must be used by the test. */
  use(...handlers: RequestHandler[]): void;
  /** The requests of the current test, in the order they started. */
  readonly requests: readonly RecordedRequest[];
  /** Give it to the HttpClient: it routes undici's requests into msw. */
  readonly dispatcher: Dispatcher;
  /** The most requests of the current test in flight at once (1 means strictly one after another). */
  peakConcurrency(): number;
}

export function useGitlab(handlers: readonly RequestHandler[] = []): GitlabServer {
  const server = setupServer(...handlers);
  const requests: RecordedRequest[] = [];
  const unhandled: string[] = [];
  let testHandlers: RequestHandler[] = [];
  const concurrency = { now: 0, peak: 0 };
  server.events.on('request:start', ({ request }) => {
    requests.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers.entries()) });
    concurrency.now += 1;
    concurrency.peak = Math.max(concurrency.peak, concurrency.now);
  });
  server.events.on('request:end', () => {
    concurrency.now -= 1;
  });
  server.events.on('request:unhandled', ({ request }) => {
    unhandled.push(`${request.method} ${request.url}`);
  });

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    requests.length = 0;
    unhandled.length = 0;
    testHandlers = [];
    concurrency.peak = 0;
  });
  afterEach(() => {
    server.resetHandlers();
    const unused = testHandlers.filter((handler) => !handler.isUsed).map((handler) => handler.info.header);
    const problems = [
      ...unhandled.map((request) => `unmocked request ${request}`),
      ...unused.map((handler) => `handler never used: ${handler}`),
    ];
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });
  afterAll(() => {
    server.close();
    const unused = handlers.filter((handler) => !handler.isUsed).map((handler) => handler.info.header);
    if (unused.length > 0) throw new Error(`handlers no test of this file used:\n${unused.join('\n')}`);
  });

  return {
    use(...added) {
      testHandlers.push(...added);
      server.use(...added);
    },
    requests,
    dispatcher: new FetchDispatcher(),
    peakConcurrency: () => concurrency.peak,
  };
}
