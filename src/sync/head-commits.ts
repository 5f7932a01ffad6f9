/**
 * "Has anything changed?" before reading a policy project (issue #15: compare commit SHAs first).
 * GitLab: the newest commit of the ref (the default branch when none), one request. Workspace:
 * there are no commits, so a digest of the project folder's files stands in.
 */
import { createHash } from 'node:crypto';
import { SourceError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { encodePathSegment } from '../http/gitlab-paths.js';
import type { Source } from '../sources/source.js';

export type HeadCommitReader = (project: string, ref: string | undefined) => Promise<string>;

export function workspaceHeadCommits(source: Source): HeadCommitReader {
  return async (project, ref) => {
    const hash = createHash('sha256');
    for (const path of await source.listFiles(project, ref)) hash.update(`${path}\u0000${(await source.readFile(project, path, ref)) ?? ''}\u0000`);
    return `workspace:${hash.digest('hex').slice(0, 40)}`;
  };
}

export function gitlabHeadCommits(client: HttpClient): HeadCommitReader {
  return async (project, ref) => {
    // GET /projects/:id/repository/commits: without ref_name, the default branch (docs "api/commits").
    const response = await client.request('GET', `projects/${encodePathSegment(project)}/repository/commits`, {
      query: { per_page: 1, ...(ref === undefined ? {} : { ref_name: ref }) },
      acceptStatuses: [404],
    });
    const body = response.status === 404 ? [] : response.json();
    const first: unknown = Array.isArray(body) ? body[0] : undefined;
    const id = typeof first === 'object' && first !== null ? (first as Record<string, unknown>)['id'] : undefined;
    if (typeof id !== 'string') {
      throw new SourceError('gitlab-no-commit', `GitLab shows no commit of ${project}${ref === undefined ? '' : `@${ref}`}`, {
        hint: 'Check the project path, that it has a repository, and that the token can read it (scope read_api).',
      });
    }
    return id;
  };
}
