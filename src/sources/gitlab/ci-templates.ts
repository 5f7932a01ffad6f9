/**
 * Where `include: template:` is read in API mode. GitLab's templates API only serves flat names:
 * its route requires `[\w.-]+` (lib/api/templates.rb `requirements: { name: /[\w\.-]+/ }`), so
 * `Jobs/SAST`, `Security/SAST` or `Workflows/MergeRequest-Pipelines`, sent as `Jobs%2FSAST`,
 * answer 404 on every version. Those names are read from a copy of GitLab's template folder
 * (lib/gitlab/ci/templates/ of gitlab-org/gitlab, MIT) that the platform team keeps: a local
 * folder in the image, or a folder of a project (scripts/mirror-ci-templates.sh makes one).
 * With such a copy every template comes from it, one pinned version for all; without one,
 * flat names use the API and a nested name stops the run with a message saying what to do.
 */
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { SourceError } from '../../errors.js';

/** A folder of the image, or a folder of a project at a ref: the layout of lib/gitlab/ci/templates/. */
export type CiTemplatesLocation =
  | { readonly kind: 'dir'; readonly dir: string }
  | { readonly kind: 'project'; readonly project: string; readonly ref: string | undefined; readonly folder: string };

/** Names the templates API route accepts (lib/api/templates.rb). */
const API_NAME = /^[\w.-]+$/;

export interface CiTemplateReaders {
  /** A file of a project at a ref (the API source's raw file read). */
  readonly projectFile: (project: string, path: string, ref: string | undefined) => Promise<string | undefined>;
  /** The templates API, for a flat key (no `.gitlab-ci.yml`). */
  readonly api: (key: string) => Promise<string | undefined>;
}

/** `name` as include:template gives it (`Jobs/SAST.gitlab-ci.yml`); undefined when there is no such template. */
export async function readCiTemplate(name: string, location: CiTemplatesLocation | undefined, readers: CiTemplateReaders): Promise<string | undefined> {
  const segments = name.split('/');
  // A template name is a relative path inside the folder: never `..`, `.`, empty or absolute.
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\\'))) return undefined;
  if (location?.kind === 'dir') return readInside(location.dir, name);
  if (location?.kind === 'project') return readers.projectFile(location.project, location.folder === '' ? name : `${location.folder}/${name}`, location.ref);
  const key = name.endsWith(TEMPLATE_SUFFIX) ? name.slice(0, -TEMPLATE_SUFFIX.length) : name;
  if (API_NAME.test(key)) return readers.api(key);
  throw new SourceError('ci-template-not-served', `include:template ${name} cannot be read through the GitLab API: its templates route serves only names without folders`, {
    hint: 'Give policy-sidecar a copy of GitLab\'s CI templates with --ci-templates DIR or --ci-templates project:<full/path>[@<ref>][:<folder>] (scripts/mirror-ci-templates.sh makes one; docs/gitlab-api.md "CI templates").',
  });
}

const TEMPLATE_SUFFIX = '.gitlab-ci.yml';

async function readInside(dir: string, name: string): Promise<string | undefined> {
  const root = resolve(dir);
  const file = resolve(root, name);
  if (!file.startsWith(root + sep)) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR')) return undefined;
    throw new SourceError('ci-templates-unreadable', `cannot read CI template ${name} from ${dir}`, { cause: error, hint: 'Check the --ci-templates folder and its permissions.' });
  }
}
