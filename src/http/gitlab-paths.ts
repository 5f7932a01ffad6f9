/**
 * Builds GitLab API paths. The HTTP client sends paths as it gets them (it cannot tell a
 * separator from an encoded slash), so every caller encodes each segment with these helpers.
 * GitLab's rule (docs "api/rest/#namespaced-paths"): a full path used as an id is URL-encoded,
 * `acme/web` → `acme%2Fweb`; the same holds for file paths (`ci/a.yml` → `ci%2Fa.yml`) and refs.
 */
import { SourceError } from '../errors.js';

/** One path segment: a project or group full path, a file path, a branch or tag name. */
export function encodePathSegment(value: string | number): string {
  const text = String(value);
  // The URL parser drops `.` and climbs on `..`, even written %2E%2E (WHATWG URL "double-dot
  // segment"), which would send the request, token included, to another endpoint. Neither can
  // name a project, file or ref (git check-ref-format), so refuse them.
  if (text === '.' || text === '..' || text === '') {
    throw new SourceError('http-path-segment', `\`${text}\` cannot be a GitLab path segment`, {
      hint: 'Name a project, group, file or ref; relative segments and empty names are not allowed.',
    });
  }
  return encodeURIComponent(text);
}

/** `/projects/:id` for a numeric id or a full path. */
export function projectPath(project: string | number): string {
  return `/projects/${encodePathSegment(project)}`;
}

/** `/groups/:id` for a numeric id or a full path. */
export function groupPath(group: string | number): string {
  return `/groups/${encodePathSegment(group)}`;
}

/** `/projects/:id/repository/files/:file_path` (docs "api/repository_files"). */
export function repositoryFilePath(project: string | number, filePath: string): string {
  return `${projectPath(project)}/repository/files/${encodePathSegment(filePath)}`;
}
