/**
 * What every GitLab call of a run goes through, below gitbeaker and above our HttpClient:
 * - memoised: the same GET (path + query) or the same GraphQL query is sent once per run, and
 *   callers asking meanwhile share the answer (SPEC §7: nothing fetched twice);
 * - revalidated: with a cache folder, a GET goes out with the kept ETag in If-None-Match and a
 *   304 answers from the kept body.
 * Retries, Retry-After, rate limits, proxy, CA and redaction are the HttpClient's.
 */
import { decodeUtf8 } from '../../ci/decode-utf8.js';
import type { HttpClient, HttpResponse, RequestOptions } from '../../http/client.js';
import { contentStoreOf, sha256Of, type ContentStore } from './content-store.js';
import { KEPT_HEADERS, type ResponseCache } from './response-cache.js';

export interface TransportResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export interface GitlabTransport {
  /** `path` relative to the API root, segments encoded; `query` values as sent. */
  get(path: string, query: Readonly<Record<string, string>>): Promise<TransportResponse>;
  /** A POST that reads only (GraphQL queries): memoised by path and body, safe to retry. */
  postQuery(path: string, json: unknown): Promise<TransportResponse>;
  /** A HEAD (headers only, e.g. a file's metadata): memoised like a GET, never cached across runs. */
  head(path: string, query: Readonly<Record<string, string>>): Promise<TransportResponse>;
  /** File contents kept across runs under their digests (content-store.ts); undefined without a cache folder. */
  readonly contents: ContentStore | undefined;
}

export function createGitlabTransport(client: HttpClient, cache: ResponseCache | undefined): GitlabTransport {
  const answers = new Map<string, Promise<TransportResponse>>();
  const once = (key: string, send: () => Promise<TransportResponse>): Promise<TransportResponse> => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = send();
      answers.set(key, answer);
    }
    return answer;
  };

  async function revalidate(key: string, path: string, query: Readonly<Record<string, string>>): Promise<TransportResponse> {
    // A kept body is used on a 304 only when it is the body GitLab's ETag describes: the folder
    // may be shared with the project's own jobs (a runner cache), which could rewrite it.
    const kept = await cache?.lookup(key).then((entry) => (entry !== undefined && etagDescribes(entry.etag, entry.body) ? entry : undefined));
    const options: RequestOptions =
      kept === undefined ? { query } : { query, headers: { 'if-none-match': kept.etag }, acceptStatuses: [304] };
    const response = await client.request('GET', path, options);
    if (response.status === 304 && kept !== undefined) {
      return { status: kept.status, headers: kept.headers, text: kept.body };
    }
    const text = responseText(response, path, query);
    const etag = response.headers['etag'];
    if (cache !== undefined && etag !== undefined && response.status === 200 && etagDescribes(etag, text)) {
      const headers = Object.fromEntries(KEPT_HEADERS.flatMap((name) => (response.headers[name] === undefined ? [] : [[name, response.headers[name]]])));
      await cache.store(key, { etag, status: response.status, headers, body: text });
    }
    return { status: response.status, headers: response.headers, text };
  }

  return {
    get(path, query) {
      const key = `GET ${path}?${new URLSearchParams(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString()}`;
      return once(key, () => revalidate(key, path, query));
    },
    head(path, query) {
      const key = `HEAD ${path}?${new URLSearchParams(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString()}`;
      return once(key, async () => {
        const response = await client.request('HEAD', path, { query });
        return { status: response.status, headers: response.headers, text: '' };
      });
    },
    contents: cache === undefined ? undefined : contentStoreOf(cache),
    postQuery(path, json) {
      return once(`POST ${path} ${JSON.stringify(json)}`, async () => {
        const response = await client.request('POST', path, { json, idempotent: true });
        return { status: response.status, headers: response.headers, text: response.text() };
      });
    },
  };
}

// GET /projects/:id/repository/files/:file_path/raw: a CI file, policy file or template's bytes.
const rawFilePath = /^projects\/([^/]+)\/repository\/files\/([^/]+)\/raw$/;

/**
 * A repository file is decoded strictly, named as messages name files (`group/project:path@ref`):
 * GitLab's YAML reader refuses bytes that are not UTF-8. Other answers are GitLab's own JSON.
 */
function responseText(response: HttpResponse, path: string, query: Readonly<Record<string, string>>): string {
  const raw = rawFilePath.exec(path);
  if (raw === null || response.status !== 200) return response.text();
  const ref = query['ref'] === undefined ? '' : `@${query['ref']}`;
  return decodeUtf8(response.body, `${decodeURIComponent(raw[1] ?? '')}:${decodeURIComponent(raw[2] ?? '')}${ref}`);
}

/**
 * Whether `etag` is Rack::ETag's for `body`: GitLab's API answers carry the weak ETag Rack
 * computes, `W/"` + the first 32 hex digits of the body's SHA-256 + `"` (rack lib/rack/etag.rb,
 * `digest_body`). Only such answers are kept, so a kept body can be checked against the ETag
 * GitLab confirms with its 304. An answer with another kind of ETag is not kept: no saving, and
 * nothing in the folder is taken on trust.
 */
function etagDescribes(etag: string, body: string): boolean {
  const digest = /^W\/"([0-9a-f]{32})"$/.exec(etag)?.[1];
  return digest !== undefined && sha256Of(body).slice(0, 32) === digest;
}
