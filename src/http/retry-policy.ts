/**
 * When to try a request again and how long to wait first. Pure: the clock and the random
 * source are parameters, so tests pin both. Unlike gitbeaker's defaults (10 blind retries),
 * the server's own hints (Retry-After, GitLab's RateLimit-* headers) win over our backoff.
 */

export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly max: number;
  readonly baseDelayMs: number;
  /** Longest single wait of our backoff, and of a server-requested wait before a write. */
  readonly maxDelayMs: number;
  /**
   * Longest server-requested wait (Retry-After, RateLimit-Reset) before repeating a read.
   * GitLab's application rate limits ask for up to a minute (docs "security/rate_limits":
   * Retry-After is the time until the period resets, 60 s for most limits), and a read is
   * free to repeat; a server asking for more still ends the request with an error.
   */
  readonly maxReadWaitMs?: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = { max: 4, baseDelayMs: 250, maxDelayMs: 10_000, maxReadWaitMs: 60_000 };

/** Methods that only read: a long server-requested wait before repeating them costs nothing but time. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The longest server-requested wait accepted before repeating a request with this method. */
export function longestServerWait(method: string, settings: RetrySettings): number {
  return READ_METHODS.has(method) ? Math.max(settings.maxDelayMs, settings.maxReadWaitMs ?? settings.maxDelayMs) : settings.maxDelayMs;
}

/** Methods that may run twice without harm (RFC 9110 §9.2.2); POST and PATCH only when the caller says so. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * 429 and most 5xx are transient. 501 (not implemented) and 505 (HTTP version) will not
 * change on a second try.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/**
 * A 429 means GitLab refused the request before doing anything, so it is safe to repeat for
 * any method; a 5xx may have happened after a write, so only idempotent requests repeat it.
 */
export function isStatusSafeToRepeat(status: number, idempotent: boolean): boolean {
  return status === 429 || idempotent;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so parallel
 * jobs hitting the same outage spread out yet never retry immediately. `retry` counts from 1.
 */
export function backoffDelay(retry: number, settings: RetrySettings, random: () => number): number {
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** A wait the server asked for, and which header asked, so an error can name it. */
export interface ServerWait {
  readonly ms: number;
  readonly header: 'Retry-After' | 'RateLimit-Reset';
}

/**
 * Retry-After is delay-seconds or an HTTP date (RFC 9110 §10.2.3). Without it, GitLab's
 * RateLimit-Remaining: 0 plus RateLimit-Reset (docs "administration/settings/user_and_ip_rate_limits#response-headers").
 */
export function serverRequestedWait(headers: Readonly<Record<string, string>>, nowMs: number): ServerWait | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    const ms = parseRetryAfter(retryAfter, nowMs);
    if (ms !== undefined) return { ms, header: 'Retry-After' };
  }
  const resetAt = rateLimitResetAt(headers, nowMs);
  if (resetAt !== undefined && headers['ratelimit-remaining']?.trim() === '0') {
    return { ms: Math.max(0, resetAt - nowMs), header: 'RateLimit-Reset' };
  }
  return undefined;
}

/** When a response says the quota is used up, the time (ms since the epoch) it comes back. */
export function rateLimitPauseUntil(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  if (headers['ratelimit-remaining']?.trim() !== '0') return undefined;
  return rateLimitResetAt(headers, nowMs);
}

function parseRetryAfter(value: string, nowMs: number): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * GitLab sends RateLimit-Reset as Unix seconds; the IETF draft (and some proxies in front of
 * GitLab) send seconds from now. A value below 10^9 (2001) cannot be a current Unix time.
 */
function rateLimitResetAt(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const reset = headers['ratelimit-reset']?.trim();
  if (reset === undefined || !/^\d+$/.test(reset)) return undefined;
  const seconds = Number(reset);
  return seconds >= 1e9 ? seconds * 1000 : nowMs + seconds * 1000;
}
