/**
 * The workspace form of `verify` (issue 13): a folder of recorded GitLab API answers for one
 * project, served as an HttpClient so the reader (sources/gitlab/verify-api.ts) parses them
 * exactly as it parses GitLab's. A request path below `/projects/:id` is a JSON file of the same
 * path (query left out); a GraphQL read is a file named by the pipeline it reads:
 *
 *   project.json                              GET /projects/:id
 *   repository/commits/<sha>.json             GET .../repository/commits/:sha (when GraphQL gave no commit)
 *   merge_requests/<iid>.json                 GET .../merge_requests/:iid (when GraphQL gave none)
 *   jobs/<id>/artifacts/policy-report.json    GET .../jobs/:id/artifacts/policy-report.json
 *
 *   graphql/pipeline-<id>.json                POST /api/graphql, the pipeline's query (verify-pipeline-query.ts):
 *                                             the pipeline, its jobs and bridges, its child pipelines' jobs
 *   graphql/pipeline-<id>-jobs-<cursor>.json  POST /api/graphql, the next page of a pipeline's jobs (`after: <cursor>`)
 *
 * A missing file answers 404. Recorded answers are read-only: other writes are refused.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { SourceError, UsageError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../../http/client.js';

export function createRecordedApi(dir: string): HttpClient {
  const root = resolve(dir);

  function fileOf(path: string, body?: unknown): string {
    const [pathname = ''] = path.split('?');
    if (pathname === '../graphql') return graphqlFile(body);
    const match = /^\/projects\/[^/]+(\/.*)?$/.exec(pathname);
    if (match === null) throw new UsageError('verify-records-path', `recorded answers hold only project endpoints, not ${pathname}`);
    const rest = (match[1] ?? '').split('/').filter((segment) => segment !== '').map(decodeURIComponent);
    const file = rest.length === 0 ? join(root, 'project.json') : rest[rest.length - 1]?.endsWith('.json') === true ? join(root, ...rest) : `${join(root, ...rest)}.json`;
    // A recorded id never leaves the folder (`..` in a decoded segment).
    if (relative(root, file).split(sep).includes('..')) throw new UsageError('verify-records-path', `${pathname} points outside ${dir}`);
    return file;
  }

  /** The recorded answer of a GraphQL read, named by the pipeline it reads (and the page cursor). */
  function graphqlFile(body: unknown): string {
    const variables = (typeof body === 'object' && body !== null ? (body as { variables?: unknown }).variables : undefined) ?? {};
    const { id, after } = variables as { id?: unknown; after?: unknown };
    const pipeline = typeof id === 'string' ? /^gid:\/\/gitlab\/Ci::Pipeline\/(\d+)$/.exec(id)?.[1] : undefined;
    if (pipeline === undefined) throw new UsageError('verify-records-path', 'recorded answers hold GraphQL reads of a pipeline by id only', { hint: 'Run verify with --pipeline ID.' });
    // A cursor is GitLab's opaque string: only its file-name-safe characters name the file.
    return join(root, 'graphql', typeof after === 'string' ? `pipeline-${pipeline}-jobs-${after.replace(/[^A-Za-z0-9=_-]/g, '_')}.json` : `pipeline-${pipeline}.json`);
  }

  async function answer(path: string, body?: unknown): Promise<HttpResponse> {
    const file = fileOf(path, body);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return response(404, '{"message":"404 Not Found"}', file);
      throw new SourceError('verify-records-unreadable', `cannot read ${file}: ${(error as Error).message}`, { retryable: false });
    }
    return response(200, text, file);
  }

  return {
    async request(method, path, options = {}) {
      // GraphQL reads are POSTs; nothing else may be.
      if (method !== 'GET' && path !== '../graphql') throw new UsageError('verify-records-read-only', 'recorded GitLab answers cannot take writes: run without --publish');
      const result = await answer(path, options.json);
      if (result.status === 404 && !(options.acceptStatuses ?? []).includes(404)) {
        throw new UsageError('verify-records-missing', `no recorded answer for ${method} ${path.split('?')[0] ?? path} in ${dir} (${relative(root, fileOf(path, options.json))})`, { hint: 'Add the JSON file of that answer to the records folder.' });
      }
      return result;
    },
    async *paginate(path) {
      const result = await answer(path);
      if (result.status === 404) throw new UsageError('verify-records-missing', `no recorded answer for GET ${path} in ${dir}`);
      const items = result.json();
      if (!Array.isArray(items)) throw new UsageError('verify-records-shape', `${fileOf(path)} is not a JSON list`);
      yield* items as unknown[];
    },
  };
}

function response(status: number, text: string, file: string): HttpResponse {
  const body = new TextEncoder().encode(text);
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body,
    text: () => text,
    json: () => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UsageError('verify-records-json', `${file} is not JSON`);
      }
    },
  };
}
