/**
 * Turns a failed request into one SourceError: the method and endpoint, the status, GitLab's
 * own message (truncated), and a hint saying what to check. Split by cause like gitbeaker's
 * requester (status, timeout, network, retries exhausted). Every text passes the redactor.
 */
import { STATUS_CODES } from 'node:http';
import { SourceError } from '../errors.js';
import type { Redactor } from './redact.js';
import type { ServerWait } from './retry-policy.js';

/** What every message names; `url` is already token-free. */
export interface RequestDescription {
  readonly method: string;
  readonly url: string;
  readonly credentialHeader: 'PRIVATE-TOKEN' | 'JOB-TOKEN' | undefined;
  readonly redact: Redactor;
}

/** The last thing that went wrong, kept while retrying. */
export type Failure =
  | { readonly kind: 'status'; readonly status: number; readonly body: Uint8Array }
  | { readonly kind: 'network'; readonly error: unknown };

const MAX_BODY_SHOWN = 300;

export function statusError(request: RequestDescription, status: number, body: Uint8Array): SourceError {
  return new SourceError(`http-${status}`, request.redact(`${request.method} ${request.url} failed: ${describeStatus(status, body)}`), {
    hint: statusHint(status, request.credentialHeader),
    retryable: status === 429 || status >= 500,
  });
}

export function exhaustedError(request: RequestDescription, attempts: number, last: Failure): SourceError {
  const what = last.kind === 'status' ? describeStatus(last.status, last.body) : describeNetworkError(last.error);
  const timedOut = last.kind === 'network' && classifyNetworkError(last.error) === 'timeout';
  return new SourceError(
    timedOut ? 'http-timeout' : 'http-retries-exhausted',
    request.redact(`${request.method} ${request.url} failed after ${attempts} attempts; the last ${last.kind === 'status' ? 'answer' : 'error'} was ${what}`),
    {
      hint: last.kind === 'status' ? statusHint(last.status, request.credentialHeader) : networkHint(last.error),
      retryable: true,
      cause: last.kind === 'network' ? sanitizeCause(last.error, request.redact) : undefined,
    },
  );
}

/** Attempts that ended without a status: timeouts, refused or reset connections, TLS failures. */
export function networkError(request: RequestDescription, error: unknown): SourceError {
  const kind = classifyNetworkError(error);
  const code = kind === 'timeout' ? 'http-timeout' : kind === 'tls' ? 'http-tls' : 'http-network';
  return new SourceError(code, request.redact(`${request.method} ${request.url} failed: ${describeNetworkError(error)}`), {
    hint: networkHint(error),
    retryable: kind !== 'tls',
    cause: sanitizeCause(error, request.redact),
  });
}

/** `limit` is the client's longest wait for this method, or (`budget`) the time left of its budget. */
export function waitTooLongError(request: RequestDescription, status: number, wait: ServerWait, maxDelayMs: number, limit: 'wait' | 'budget' = 'wait'): SourceError {
  const seconds = Math.ceil(wait.ms / 1000);
  const beyond = limit === 'budget' ? `more than the ${Math.floor(maxDelayMs / 1000)} s left of this run's time budget` : `longer than the ${maxDelayMs / 1000} s this client waits`;
  return new SourceError(
    status === 429 ? 'http-rate-limited' : `http-${status}`,
    request.redact(`${request.method} ${request.url} failed: HTTP ${status} ${STATUS_CODES[status] ?? ''}; GitLab asked to wait ${seconds} s (${wait.header}), ${beyond}`),
    { hint: statusHint(status, request.credentialHeader), retryable: true },
  );
}

export function statusHint(status: number, credentialHeader: RequestDescription['credentialHeader']): string | undefined {
  switch (status) {
    case 400:
      return 'GitLab rejected the request parameters: see its message.';
    case 401:
      if (credentialHeader === undefined) return 'No token was sent: set POLICY_SIDECAR_TOKEN (scope read_api), or run in a CI job where CI_JOB_TOKEN is allowed.';
      return credentialHeader === 'JOB-TOKEN'
        ? 'CI_JOB_TOKEN was refused: it is valid only while its job runs, and only on endpoints GitLab opens to job tokens; set POLICY_SIDECAR_TOKEN (scope read_api) instead.'
        : 'The token is invalid, expired or revoked: check POLICY_SIDECAR_TOKEN (a personal, project or group access token with scope read_api).';
    case 403:
      return credentialHeader === 'JOB-TOKEN'
        ? "CI_JOB_TOKEN may read a project only when that project's job token allowlist (Settings > CI/CD > Job token permissions) lists this one; add it there, or set POLICY_SIDECAR_TOKEN (scope read_api)."
        : "The token lacks access: POLICY_SIDECAR_TOKEN needs scope read_api (api for writes) and at least the Reporter role on the project; check the project's visibility.";
    case 404:
      return "The project, group or file does not exist, or the token cannot see it (GitLab answers 404 for private resources): check the path and ref, the project's visibility and the token's membership.";
    case 409:
      return 'The resource already exists or changed meanwhile (conflict): reload it and try again.';
    case 422:
      return 'GitLab could not process the values sent: see its message.';
    case 429:
      return 'GitLab rate limit reached: run fewer jobs at once or later, or ask an administrator to raise the rate limits (Admin > Settings > Network).';
    default:
      if (status >= 500) return 'GitLab failed or is unavailable: try again later; if it persists, check the GitLab instance health.';
      if (status >= 300 && status < 400) {
        return "GitLab answered with a redirect, which is not followed so the token never goes elsewhere: set CI_SERVER_URL to GitLab's external URL.";
      }
      return undefined;
  }
}

function describeStatus(status: number, body: Uint8Array): string {
  const message = gitlabMessage(body);
  return `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + (message === undefined ? '' : `: ${message}`);
}

/** GitLab's error bodies: `{"message": "..."}`, `{"message": {"field": ["..."]}}`, `{"error": "...", "error_description": "..."}`. */
export function gitlabMessage(body: Uint8Array): string | undefined {
  const text = Buffer.from(body).toString('utf8').trim();
  if (text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // An HTML error page (a proxy, a maintenance page) says nothing the status does not.
    return text.startsWith('<') ? undefined : truncate(text);
  }
  if (typeof parsed !== 'object' || parsed === null) return truncate(text);
  const record = parsed as Record<string, unknown>; // checked: a non-null object
  const parts = [flattenMessage(record['message']), flattenMessage(record['error']), flattenMessage(record['error_description'])];
  const message = parts.filter((part) => part !== '').join(': ');
  return truncate(message === '' ? text : message);
}

function flattenMessage(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flattenMessage).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([field, detail]) => `${field} ${flattenMessage(detail)}`)
      .join('; ');
  }
  return String(value);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= MAX_BODY_SHOWN ? oneLine : `${oneLine.slice(0, MAX_BODY_SHOWN)}…`;
}

export type NetworkErrorKind = 'timeout' | 'tls' | 'retryable' | 'connect-refused' | 'fatal';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'UND_ERR_SOCKET']);

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'no connection within the connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response within the read timeout',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled past the read timeout',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
};

/**
 * Refused connections never reached GitLab, so they repeat safely for every method;
 * a reset or a read timeout may have come after GitLab acted.
 */
export function classifyNetworkError(error: unknown): NetworkErrorKind {
  const codes = errorCodes(error);
  if (codes.some((code) => TIMEOUT_CODES.has(code))) return 'timeout';
  if (codes.some((code) => /CERT|^UNABLE_TO_|^ERR_TLS|^ERR_SSL|^UND_ERR_PRX_TLS$/.test(code))) return 'tls';
  if (codes.includes('ECONNREFUSED')) return 'connect-refused';
  if (codes.some((code) => TRANSIENT_CODES.has(code))) return 'retryable';
  return 'fatal';
}

/** `code` of the error and of each `cause` below it: undici sometimes wraps the socket error. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code; // checked: an object; code may be absent
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function describeNetworkError(error: unknown): string {
  const code = errorCodes(error)[0];
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) return message;
  const text = CODE_TEXT[code];
  return text === undefined ? `${code} (${message})` : `${code} (${text})`;
}

function networkHint(error: unknown): string {
  switch (classifyNetworkError(error)) {
    case 'tls':
      return "GitLab's certificate is not trusted: set CI_SERVER_TLS_CA_FILE or NODE_EXTRA_CA_CERTS to the PEM bundle of the CA that signed it (and check that the URL's https:// port really serves TLS).";
    case 'timeout':
      return 'GitLab did not answer in time: check that the runner reaches CI_SERVER_URL (and HTTPS_PROXY / NO_PROXY), or raise the timeout.';
    default:
      return 'Check CI_SERVER_URL, HTTPS_PROXY / NO_PROXY and that the runner can reach GitLab.';
  }
}

/**
 * A copy of the error chain with messages redacted and nothing else (no request options,
 * no headers): what a stack-printing logger may show without leaking the token.
 */
function sanitizeCause(error: unknown, redact: Redactor, depth = 0): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const nested: unknown = original.cause;
  const copy = new Error(
    redact(original.message),
    nested !== undefined && depth < 4 ? { cause: sanitizeCause(nested, redact, depth + 1) } : undefined,
  );
  copy.name = original.name;
  const code = (original as { code?: unknown }).code; // checked: an Error; code may be absent
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
