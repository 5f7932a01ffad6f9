/**
 * What every GitLab call of a run goes through, below gitbeaker and above our HttpClient:
 * - memoised: the same GET (path + query) or the same GraphQL query is sent once per run, and
 *   callers asking meanwhile share the answer (SPEC §7: nothing fetched twice);
 * - revalidated: with a cache folder, a GET goes out with the kept ETag in If-None-Match and a
 *   304 answers from the kept body.
 * Retries, Retry-After, rate limits, proxy, CA and redaction are the HttpClient's.
 */
import { createHash } from 'node:crypto';
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
  /** A HEAD (headers only, e.g. a file's metadata): memoised like a GET, never cached across runs. */
  head(path: string, query: Readonly<Record<string, string>>): Promise<TransportResponse>;
  /** File contents kept across runs under their SHA-256; undefined without a cache folder. */
  readonly contents: ContentStore | undefined;
}

/**
 * Content-addressed: a text is kept and found under the SHA-256 of its bytes, and checked against
 * it when read back, so an entry written by anyone else with the folder (a shared runner cache a
 * project job can write) is a miss unless it is exactly the content GitLab described.
 */
export interface ContentStore {
  lookup(sha256: string): Promise<string | undefined>;
  /**
   * Kept only when `text` has that SHA-256. `file` (the file's path and ref, as asked) records
   * that a run read that file, so the next run knows a HEAD for its digest may save the download.
   */
  store(sha256: string, text: string, file: string): Promise<void>;
  /**
   * Whether an earlier run kept a text for `file` (and the text is still there and intact). Only
   * a hint for choosing HEAD-then-maybe-GET over a plain GET: the text used is always the one
   * whose SHA-256 GitLab gives in this run, so a forged record costs a request, never a file.
   */
  holds(file: string): Promise<boolean>;
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

const sha256Of = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

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

function contentStoreOf(cache: ResponseCache): ContentStore {
  const keyOf = (sha256: string): string => `content sha256:${sha256}`;
  const recordOf = (file: string): string => `file ${file}`;
  const lookup = async (sha256: string): Promise<string | undefined> => {
    const kept = await cache.lookup(keyOf(sha256));
    return kept !== undefined && sha256Of(kept.body) === sha256 ? kept.body : undefined;
  };
  return {
    lookup,
    async store(sha256, text, file) {
      // Text that is not the bytes GitLab hashed (not UTF-8) would never verify: not kept.
      if (sha256Of(text) !== sha256) return;
      await cache.store(keyOf(sha256), { etag: sha256, status: 200, headers: {}, body: text });
      await cache.store(recordOf(file), { etag: sha256, status: 200, headers: {}, body: '' });
    },
    async holds(file) {
      const record = await cache.lookup(recordOf(file));
      return record !== undefined && /^[0-9a-f]{64}$/.test(record.etag) && (await lookup(record.etag)) !== undefined;
    },
  };
}
