/**
 * Fetches `include:remote` files (docs "ci/yaml/#includeremote": a public URL read with an
 * HTTP(S) GET, no authentication). Guards GitLab does not need but a tool running inside CI
 * does: a host allowlist (also for every redirect), a size limit enforced while the body
 * streams, and one timeout for the whole fetch. Messages follow File::Remote's wording.
 */
import type { Dispatcher } from 'undici';
import { decodeUtf8 } from '../ci/decode-utf8.js';
import { SourceError } from '../errors.js';
import type { RemoteFetcher } from '../sources/source.js';

export interface RemoteFetcherOptions {
  /** Hosts that may be fetched: `example.com` exactly, or `*.example.com` for its subdomains. */
  readonly allowedHosts: readonly string[];
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Milliseconds for the whole fetch, redirects and body included. */
  readonly timeoutMs: number;
  /**
   * The run's shared dispatcher (createDispatcher: proxy, CA, connection pool) or a test one;
   * undici's global dispatcher when omitted. The per-fetch timeout below still applies.
   */
  readonly dispatcher?: Dispatcher;
  /** Redirects followed before giving up (default 5). */
  readonly maxRedirects?: number;
}

export function createRemoteFetcher(options: RemoteFetcherOptions): RemoteFetcher {
  const patterns = options.allowedHosts.map((host) => host.trim().toLowerCase()).filter((host) => host !== '');
  return {
    async fetchText(url: string): Promise<string> {
      const shown = redactUrl(url);
      const first = parseUrl(url, shown);
      if (patterns.length === 0) {
        throw new SourceError('remote-disabled', `Remote file \`${shown}\` is not fetched: remote includes are disabled`, {
          hint: `Allow the host with --allow-remote-host ${first.hostname}.`,
        });
      }
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), options.timeoutMs);
      try {
        return await fetchFollowingRedirects(first, shown, patterns, options, abort.signal);
      } catch (error) {
        if (abort.signal.aborted && !(error instanceof SourceError)) {
          throw new SourceError('remote-timeout', `Remote file \`${shown}\` could not be fetched because of a timeout error!`, {
            hint: `The fetch took longer than ${options.timeoutMs} ms.`,
            retryable: true,
            cause: error,
          });
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function fetchFollowingRedirects(
  first: URL,
  shown: string,
  patterns: readonly string[],
  options: RemoteFetcherOptions,
  signal: AbortSignal,
): Promise<string> {
  let target = first;
  const maxRedirects = options.maxRedirects ?? 5;
  for (let redirects = 0; ; redirects += 1) {
    requireAllowedHost(target, shown, patterns);
    const response = await send(target, shown, options, signal);
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
      await response.body.dump();
      if (redirects >= maxRedirects) {
        throw new SourceError('remote-redirects', `Remote file \`${shown}\` could not be fetched: more than ${maxRedirects} redirects`);
      }
      target = parseUrl(new URL(location, target).toString(), shown);
      continue;
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      throw new SourceError('remote-status', `Remote file \`${shown}\` could not be fetched because of HTTP code \`${response.statusCode}\` error!`, {
        retryable: response.statusCode === 429 || response.statusCode >= 500,
      });
    }
    return readLimitedBody(response, shown, options.maxBytes);
  }
}

async function send(target: URL, shown: string, options: RemoteFetcherOptions, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  try {
    // Loaded on first use: most pipelines have no remote include, and undici costs ~60 ms to load.
    const { request } = await import('undici');
    return await request(target, {
      method: 'GET',
      signal,
      headers: { accept: 'text/plain, application/yaml, */*' },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SourceError('remote-network', `Remote file \`${shown}\` could not be fetched because of a socket error!`, {
      retryable: true,
      cause: error,
    });
  }
}

/** Stops reading as soon as the body passes the limit, so a huge response costs little. */
async function readLimitedBody(response: Dispatcher.ResponseData, shown: string, maxBytes: number): Promise<string> {
  const tooLarge = (): SourceError =>
    new SourceError('remote-too-large', `Remote file \`${shown}\` is larger than the limit of ${maxBytes} bytes`, {
      hint: 'Raise the limit with --max-remote-bytes, or include the file from a project instead.',
    });
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.on('error', () => undefined); // undici reports the abort as an error event
    response.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    // Leaving the loop closes the stream, so the rest of the body is never read.
    if (total > maxBytes) throw tooLarge();
    chunks.push(buffer);
  }
  return decodeUtf8(Buffer.concat(chunks), shown);
}

function requireAllowedHost(target: URL, shown: string, patterns: readonly string[]): void {
  const host = target.hostname.toLowerCase();
  const hostWithPort = target.host.toLowerCase();
  const allowed = patterns.some((pattern) => {
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
    return pattern.includes(':') ? hostWithPort === pattern : host === pattern;
  });
  if (!allowed) {
    throw new SourceError('remote-host', `Remote file \`${shown}\` could not be fetched because host \`${host}\` is not allowed!`, {
      hint: `Allow the host with --allow-remote-host ${host} if it is trusted.`,
    });
  }
}

function parseUrl(text: string, shown: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SourceError('remote-url', `Remote file \`${shown}\` does not have a valid address!`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SourceError('remote-url', `Remote file \`${shown}\` does not have a valid address!`, {
      hint: 'include:remote needs an http:// or https:// URL.',
    });
  }
  return url;
}

/** Credentials in a URL never reach a message. */
function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}
