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
    const kept = await cache?.lookup(key);
    const options: RequestOptions =
      kept === undefined ? { query } : { query, headers: { 'if-none-match': kept.etag }, acceptStatuses: [304] };
    const response = await client.request('GET', path, options);
    if (response.status === 304 && kept !== undefined) {
      return { status: kept.status, headers: kept.headers, text: kept.body };
    }
    const text = responseText(response, path, query);
    const etag = response.headers['etag'];
    if (cache !== undefined && etag !== undefined && response.status === 200) {
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
