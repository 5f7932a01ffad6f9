/** The client as the tests build it: a real dispatcher, recorded sleeps, fixed jitter. */
import { inspect } from 'node:util';
import { afterEach, expect } from 'vitest';
import type { Dispatcher } from 'undici';
import { SourceError } from '../../src/errors.js';
import { createHttpClient, type HttpClient, type HttpClientOptions, type RequestEvent } from '../../src/http/client.js';
import { createDispatcher } from '../../src/http/dispatcher.js';
import { startScriptedServer, type Handler, type ScriptedServer } from './local-servers.js';

export const TOKEN = 'glpat-Sup3rSecretT0ken-xyz';

export interface TestClient {
  readonly client: HttpClient;
  readonly sleeps: number[];
  readonly events: RequestEvent[];
  readonly dispatcher: Dispatcher;
}

export function createTestClient(origin: string, overrides: Partial<HttpClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const events: RequestEvent[] = [];
  const dispatcher = overrides.dispatcher ?? createDispatcher({}, { connectTimeoutMs: 1000, readTimeoutMs: 2000 });
  const client = createHttpClient({
    baseUrl: `${origin}/api/v4`,
    credential: { header: 'PRIVATE-TOKEN', value: TOKEN },
    dispatcher,
    retries: { max: 2, baseDelayMs: 100, maxDelayMs: 5000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRequest: (event) => events.push(event),
    ...overrides,
  });
  return { client, sleeps, events, dispatcher };
}

export async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SourceError)) throw new Error(`expected a SourceError, got ${inspect(error)}`);
  return error;
}

/** The token is nowhere: message, hint, stack, the cause chain, or a JSON dump. */
export function expectNoToken(value: unknown): void {
  const dumps = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) dumps.push(value.stack ?? '', value.message);
  for (const dump of dumps) expect(dump).not.toContain(TOKEN);
}

/**
 * A scripted 127.0.0.1 server and a client pointed at it, fresh for each test: `serve` starts
 * them, and after each test both are closed and every scripted response must have been used.
 */
export function useScriptedServer(): { serve(script: Handler[], overrides?: Partial<HttpClientOptions>): Promise<TestClient>; readonly server: ScriptedServer } {
  let current: { server: ScriptedServer; setup: TestClient } | undefined;
  afterEach(async () => {
    if (current === undefined) return;
    const { server, setup } = current;
    current = undefined;
    await setup.dispatcher.close();
    await server.close();
    expect(server.unusedHandlers(), 'scripted responses never requested').toBe(0);
  });
  return {
    async serve(script, overrides = {}) {
      const server = await startScriptedServer(script);
      const setup = createTestClient(server.origin, overrides);
      current = { server, setup };
      return setup;
    },
    get server() {
      if (current === undefined) throw new Error('serve() first');
      return current.server;
    },
  };
}
