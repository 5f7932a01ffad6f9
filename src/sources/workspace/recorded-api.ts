/**
 * The workspace form of `verify` (issue 13): a folder of recorded GitLab API answers for one
 * project, served as an HttpClient so the REST reader (sources/gitlab/verify-api.ts) parses them
 * exactly as it parses GitLab's. A request path below `/projects/:id` is a JSON file of the same
 * path (query left out):
 *
 *   project.json                              GET /projects/:id
 *   pipelines/<id>.json                       GET /projects/:id/pipelines/:id
 *   pipelines/<id>/jobs.json, bridges.json    GET .../pipelines/:id/jobs, /bridges
 *   repository/commits/<sha>.json             GET .../repository/commits/:sha
 *   merge_requests/<iid>.json                 GET .../merge_requests/:iid
 *   jobs/<id>/artifacts/policy-report.json    GET .../jobs/:id/artifacts/policy-report.json
 *
 *   graphql.json                              POST /api/graphql (the pipeline's configSource and commit message query)
 *
 * A missing file answers 404. Recorded answers are read-only: other writes are refused.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { SourceError, UsageError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../../http/client.js';

export function createRecordedApi(dir: string): HttpClient {
  const root = resolve(dir);

  function fileOf(path: string): string {
    const [pathname = ''] = path.split('?');
    if (pathname === '../graphql') return join(root, 'graphql.json');
    const match = /^\/projects\/[^/]+(\/.*)?$/.exec(pathname);
    if (match === null) throw new UsageError('verify-records-path', `recorded answers hold only project endpoints, not ${pathname}`);
    const rest = (match[1] ?? '').split('/').filter((segment) => segment !== '').map(decodeURIComponent);
    const file = rest.length === 0 ? join(root, 'project.json') : rest[rest.length - 1]?.endsWith('.json') === true ? join(root, ...rest) : `${join(root, ...rest)}.json`;
    // A recorded id never leaves the folder (`..` in a decoded segment).
    if (relative(root, file).split(sep).includes('..')) throw new UsageError('verify-records-path', `${pathname} points outside ${dir}`);
    return file;
  }

  async function answer(path: string): Promise<HttpResponse> {
    const file = fileOf(path);
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
      const result = await answer(path);
      if (result.status === 404 && !(options.acceptStatuses ?? []).includes(404)) {
        throw new UsageError('verify-records-missing', `no recorded answer for GET ${path.split('?')[0] ?? path} in ${dir}`, { hint: 'Add the JSON file of that answer to the records folder.' });
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
