/**
 * Project paths as the user typed them → GitLab's full path. `acme/web/` and `/acme/web` name
 * the same project as `acme/web`; left as they were, they missed the project's metadata
 * (workspace.yml, or a 404 from the API) and every group- or framework-scoped policy came out
 * "out of scope" without a word.
 */
import { UsageError } from '../errors.js';

export function normaliseProjectPath(raw: string, flag: string): string {
  const path = raw.trim().replace(/^\/+|\/+$/g, '');
  const segments = path.split('/');
  // GitLab paths are namespaces joined by single slashes; `.`/`..` or `a//b` name no project.
  if (path === '' || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new UsageError('bad-project-path', `--${flag} ${JSON.stringify(raw)} is not a project path`, {
      hint: 'Give the full path of the project as GitLab shows it, e.g. acme/web.',
    });
  }
  return path;
}
