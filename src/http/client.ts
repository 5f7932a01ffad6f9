/**
 * The GitLab API client every source request goes through: one shared undici dispatcher,
 * the credential in a header (never in a URL), retries with backoff that defer to the
 * server's Retry-After and RateLimit-* headers, pagination, and errors that name the endpoint,
 * the status and what to check, with the token redacted.
 *
 * Paths are sent as given: callers encode each segment (see gitlab-paths.ts), because the
 * client cannot tell `acme/web` the project from `acme` / `web` two segments.
 */
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import { SourceError, UsageError } from '../errors.js';
import { paginateItems } from './pagination.js';
import { createRedactor, redactUrlCredentials, type Redactor } from './redact.js';
import { exhaustedError, networkError, statusError, classifyNetworkError, waitTooLongError, type Failure, type RequestDescription } from './request-errors.js';
import {
  backoffDelay,
  DEFAULT_RETRY_SETTINGS,
  IDEMPOTENT_METHODS,
  isRetryableStatus,
  isStatusSafeToRepeat,
  longestServerWait,
  rateLimitPauseUntil,
  serverRequestedWait,
  type RetrySettings,
} from './retry-policy.js';

/** POLICY_SIDECAR_TOKEN goes in PRIVATE-TOKEN, CI_JOB_TOKEN in JOB-TOKEN (docs "api/rest/authentication"). */
export type Credential = { readonly header: 'PRIVATE-TOKEN' | 'JOB-TOKEN'; readonly value: string };

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface RequestEvent {
  readonly method: string;
  /** Without the token, which never is in a URL anyway. */
  readonly url: string;
  /** undefined when no response came (network error, timeout). */
  readonly status: number | undefined;
  readonly attempt: number;
  readonly ms: number;
}

export interface HttpClientOptions {
  /** e.g. https://gitlab.example.com/api/v4 */
  readonly baseUrl: string;
  readonly credential: Credential | undefined;
  /** From createDispatcher: proxy, CA and timeouts live there. */
  readonly dispatcher: Dispatcher;
  /** Defaults 4 retries, 250 ms base, 10 s ceiling; reads wait up to 60 s when GitLab asks. */
  readonly retries?: RetrySettings;
  /**
   * The time this client may spend, from its creation (the job's budget): a wait the server
   * asks for that would end past it fails at once instead of outliving the job. None by default.
   */
  readonly timeBudgetMs?: number;
  /**
   * Requests in flight at once (default 8). Callers fan out freely (every project, every
   * artifact); the cap keeps one run from tripping GitLab's per-user rate limits on its own.
   */
  readonly maxConcurrency?: number;
  /** Injectable so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Backoff jitter in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
  /** Clock for Retry-After dates and RateLimit-Reset, in ms since the epoch. */
  readonly now?: () => number;
  /** Pages `paginate` reads before failing (default 1000, i.e. 100 000 items at 100 a page). */
  readonly maxPages?: number;
  /** For logging and metrics: one event per attempt. */
  readonly onRequest?: (event: RequestEvent) => void;
}

export interface HttpResponse {
  readonly status: number;
  /** Names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  text(): string;
  /** Throws a SourceError `http-invalid-json` naming the endpoint when the body is not JSON. */
  json(): unknown;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON with content-type application/json. */
  readonly json?: unknown;
  readonly body?: string | Uint8Array;
  /** Statuses returned instead of thrown, e.g. [304, 404]. */
  readonly acceptStatuses?: readonly number[];
  /** Say true for a POST or PATCH that may run twice (retried on 5xx, resets and timeouts). */
  readonly idempotent?: boolean;
}

export interface HttpClient {
  /** `path` is relative to baseUrl, or an absolute URL on its origin; its segments are already encoded. */
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<HttpResponse>;
  /** Items of every page of a GitLab list endpoint; per_page=100 unless the query sets it. */
  paginate(path: string, options?: RequestOptions): AsyncIterable<unknown>;
}

const USER_AGENT = 'policy-sidecar';
const DEFAULT_MAX_CONCURRENCY = 8;

/** What an attempt leads to: the answer, the final error, or another attempt after a wait. */
type Next = { readonly response: HttpResponse } | { readonly error: SourceError } | { readonly waitMs: number };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = parseBaseUrl(options.baseUrl);
  const redact = createRedactor(options.credential === undefined ? [] : [options.credential.value]);
  const retries = options.retries ?? DEFAULT_RETRY_SETTINGS;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const deadline = options.timeBudgetMs === undefined ? undefined : now() + options.timeBudgetMs;
  const inFlight = pLimit(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  const show = (url: URL): string => redact(redactUrlCredentials(url.href));
  // Set when a response says the quota is used up: every later request of this client,
  // including those already in flight, waits on the same single pause.
  const quota: { pausedUntil: number; pause: Promise<void> | undefined } = { pausedUntil: 0, pause: undefined };

  async function waitForQuota(): Promise<void> {
    if (quota.pause === undefined) {
      const wait = quota.pausedUntil - now();
      if (wait <= 0) return;
      quota.pausedUntil = 0;
      // Bounded: past the ceiling we try anyway, and GitLab's 429 + Retry-After ends it clearly.
      quota.pause = sleep(Math.min(wait, retries.maxDelayMs)).finally(() => {
        quota.pause = undefined;
      });
    }
    await quota.pause;
  }

  async function request(method: HttpMethod, path: string, requestOptions: RequestOptions = {}): Promise<HttpResponse> {
    const url = resolveUrl(base, path, requestOptions.query, redact);
    const description: RequestDescription = { method, url: show(url), credentialHeader: options.credential?.header, redact };
    const { headers, body } = buildRequest(requestOptions, options.credential);
    const idempotent = requestOptions.idempotent ?? IDEMPOTENT_METHODS.has(method);
    for (let attempt = 1; ; attempt += 1) {
      await waitForQuota();
      const started = performance.now();
      let outcome: { readonly response: HttpResponse } | { readonly error: unknown };
      try {
        outcome = { response: await inFlight(() => send(options.dispatcher, url, method, headers, body, description)) };
      } catch (error) {
        if (error instanceof SourceError) throw error;
        outcome = { error };
      }
      const status = 'response' in outcome ? outcome.response.status : undefined;
      options.onRequest?.({ method, url: description.url, status, attempt, ms: Math.round(performance.now() - started) });
      const next = 'response' in outcome ? afterResponse(outcome.response, attempt) : afterError(outcome.error, attempt);
      if ('response' in next) return next.response;
      if ('error' in next) throw next.error;
      await sleep(next.waitMs);
    }

    function afterResponse(response: HttpResponse, attempt: number): Next {
      const pause = rateLimitPauseUntil(response.headers, now());
      if (pause !== undefined) quota.pausedUntil = Math.max(quota.pausedUntil, pause);
      const { status } = response;
      if ((status >= 200 && status < 300) || requestOptions.acceptStatuses?.includes(status) === true) return { response };
      if (!isRetryableStatus(status) || !isStatusSafeToRepeat(status, idempotent)) return { error: statusError(description, status, response.body) };
      const asked = serverRequestedWait(response.headers, now());
      const longest = longestServerWait(method, retries);
      if (asked !== undefined && asked.ms > longest) return { error: waitTooLongError(description, status, asked, longest) };
      if (asked !== undefined && deadline !== undefined && now() + asked.ms > deadline) {
        return { error: waitTooLongError(description, status, asked, Math.max(0, deadline - now()), 'budget') };
      }
      if (attempt > retries.max) {
        const failure: Failure = { kind: 'status', status, body: response.body };
        return { error: attempt === 1 ? statusError(description, status, response.body) : exhaustedError(description, attempt, failure) };
      }
      // The server's wait replaces both our backoff and the quota pause it may also announce.
      quota.pausedUntil = 0;
      return { waitMs: asked?.ms ?? backoffDelay(attempt, retries, random) };
    }

    function afterError(error: unknown, attempt: number): Next {
      if (!isNetworkErrorSafeToRepeat(error, idempotent)) return { error: networkError(description, error) };
      if (attempt > retries.max) {
        return { error: attempt === 1 ? networkError(description, error) : exhaustedError(description, attempt, { kind: 'network', error }) };
      }
      return { waitMs: backoffDelay(attempt, retries, random) };
    }
  }

  const client: HttpClient = {
    request,
    paginate(path, requestOptions = {}) {
      const query = { per_page: 100, ...requestOptions.query };
      const firstUrl = resolveUrl(base, path, query, redact);
      const pageOptions: RequestOptions = { ...requestOptions, query: undefined };
      return paginateItems(firstUrl, (url) => request('GET', url.href, pageOptions), { maxPages: options.maxPages ?? 1000, origin: base.origin }, show);
    },
  };
  return client;
}

/** Refused connections never reached GitLab; resets and timeouts may have come after it acted. */
function isNetworkErrorSafeToRepeat(error: unknown, idempotent: boolean): boolean {
  const kind = classifyNetworkError(error);
  if (kind === 'connect-refused') return true;
  return idempotent && (kind === 'timeout' || kind === 'retryable');
}

async function send(
  dispatcher: Dispatcher,
  url: URL,
  method: HttpMethod,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  description: RequestDescription,
): Promise<HttpResponse> {
  const response = await dispatcher.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, body: body ?? null });
  // The body is read inside the attempt: a reset or stall mid-body is retried like any network error.
  const bytes = new Uint8Array(await response.body.arrayBuffer());
  return createResponse(response.statusCode, normalizeHeaders(response.headers), bytes, description);
}

function createResponse(status: number, headers: Record<string, string>, body: Uint8Array, description: RequestDescription): HttpResponse {
  const text = (): string => Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return {
    status,
    headers,
    body,
    text,
    json() {
      try {
        return JSON.parse(text()) as unknown;
      } catch {
        // No cause: JSON.parse's message quotes the body, which is not ours to log.
        throw new SourceError('http-invalid-json', description.redact(`${description.method} ${description.url} answered HTTP ${status} with a body that is not JSON`), {
          hint: 'A proxy or a maintenance page may answer instead of GitLab: check CI_SERVER_URL and HTTPS_PROXY.',
        });
      }
    },
  };
}

function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function buildRequest(requestOptions: RequestOptions, credential: Credential | undefined): { headers: Record<string, string>; body: string | Uint8Array | undefined } {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  for (const [name, value] of Object.entries(requestOptions.headers ?? {})) headers[name.toLowerCase()] = value;
  let body = requestOptions.body;
  if (requestOptions.json !== undefined) {
    body = JSON.stringify(requestOptions.json);
    headers['content-type'] ??= 'application/json';
  }
  // Last, so a caller's header cannot replace or duplicate the credential.
  delete headers['private-token'];
  delete headers['job-token'];
  if (credential !== undefined) headers[credential.header.toLowerCase()] = credential.value;
  return { headers, body };
}

function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('http-base-url', `The GitLab API URL \`${redactUrlCredentials(text)}\` is not a valid URL`, {
      hint: 'Set CI_SERVER_URL to the GitLab address, such as https://gitlab.example.com.',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError('http-base-url', `The GitLab API URL \`${redactUrlCredentials(text)}\` is not http:// or https://`);
  }
  return new URL(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}

function resolveUrl(base: URL, path: string, query: RequestOptions['query'], redact: Redactor): URL {
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    url = new URL(path);
    if (url.origin !== base.origin) {
      throw new SourceError('http-cross-origin', redact(`Refusing to send a request to ${url.origin}: the token only goes to ${base.origin}`), {
        hint: "Set CI_SERVER_URL to GitLab's external URL if GitLab links to it.",
      });
    }
  } else {
    url = new URL(`${base.origin}${base.pathname}/${path.replace(/^\/+/, '')}`);
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}
