/**
 * Paths named by `include:local`, `include:project:file` and component templates, turned into the
 * repository paths a Source understands, and GitLab's wildcard matching for `include:local`.
 */
import type { SourceLocation } from '../../errors.js';
import { compileLinearPattern, re2Literal } from '../linear-pattern.js';
import { includeError } from './include-error.js';

/**
 * docs "ci/yaml/#includelocal": paths are relative to the repository root, a leading `/` is
 * optional (GitLab strips leading slashes, File::Local#initialize). GitLab reads blobs by path, so
 * `..` can never leave the repository there; we read a checkout, so we refuse any `..` segment
 * that escapes the root, and any path that still looks absolute (`C:/`, `~`).
 */
export function toRepositoryPath(written: string, location: SourceLocation | undefined): string {
  const trimmed = written.replace(/^\/+/, '');
  const segments: string[] = [];
  for (const segment of trimmed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) throw escapeError(written, location);
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  if (/^[A-Za-z]:$/.test(segments[0] ?? '') || segments[0]?.startsWith('~') === true || written.includes('\\')) {
    throw escapeError(written, location);
  }
  return segments.join('/');
}

/**
 * GitLab reads an included file by its path in the repository tree as written (File::Local and
 * File::Project only strip leading slashes), and a tree lookup does not resolve `.` or `..`: so
 * `./ci/a.yml` or `ci/jobs/../a.yml` is a file that "does not exist!" there, though a checkout
 * would find it (gitlab-ci-local refuses `./` for the same reason). Paths are refused as GitLab
 * refuses them rather than read from a checkout where they would resolve.
 */
export function hasDotSegment(written: string): boolean {
  return written.replace(/^\/+/, '').split('/').some((segment) => segment === '.' || segment === '..');
}

function escapeError(written: string, location: SourceLocation | undefined): Error {
  return includeError('include-path', `Included file \`${written}\` is outside of the repository!`, location, {
    hint: 'Paths in include are relative to the repository root; `..` may not leave it.',
  });
}

/**
 * GitLab's wildcard rule (Repository#search_files_by_wildcard_path): the path is regex-escaped,
 * `**` becomes `.*?` and `*` becomes `[^/]*?`, anchored at both ends. Unlike a shell glob it
 * matches hidden files and folders (`configs/*.yml` matches `configs/.hidden.yml`), `**` also
 * matches inside one name (`configs/**.yml` matches `configs/a/b.yml`), and there are no `?`,
 * `[...]` or `{a,b}` patterns: those characters match themselves.
 */
export function wildcardMatcher(pattern: string): (path: string) => boolean {
  // Run in linear time: the project writes both the pattern and the file names.
  const source = pattern
    .split('**')
    .map((part) => part.split('*').map((text) => Array.from(text, (char) => re2Literal(char.codePointAt(0) ?? 0)).join('')).join('[^/]*'))
    .join('(?s:.*)');
  const compiled = compileLinearPattern(`^${source}$`);
  return (path) => compiled.test(path);
}

export function hasWildcard(path: string): boolean {
  return path.includes('*');
}

/** docs "ci/yaml/#includelocal": the file must have the `.yml` or `.yaml` extension (File::Base). */
export function hasYamlExtension(location: string): boolean {
  const base = location.slice(location.lastIndexOf('/') + 1);
  return /^.+\.(yml|yaml)$/i.test(base);
}
