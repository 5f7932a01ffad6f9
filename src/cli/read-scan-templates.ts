/**
 * The scan templates of scan execution policies, read at the edge: policy-sidecar's own
 * (templates/scans/ of the package), each replaced by the file of the same name that `--templates`
 * names when there is one. `--templates` is a local folder (`DIR`) or a folder of a project read
 * through the run's source (`project:<full/path>[@<ref>][:<folder>]`: the GitLab API in a CI job,
 * the workspace folder offline). A `.yml` file there that is no template name is refused, so a
 * misspelt replacement is never silently ignored; a project or folder that is not there stops the
 * run (fail closed).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeUtf8 } from '../ci/decode-utf8.js';
import { scanTemplateNames, type ScanTemplates, type ScanTemplateText } from '../compose/sep/index.js';
import { UsageError } from '../errors.js';
import type { Source } from '../sources/source.js';
import { packageFile } from './package-files.js';

const BUILT_IN = packageFile('templates/scans/');
const PREFIX = 'project:';
const SYNTAX = 'project:<full/path>[@<ref>][:<folder>], e.g. project:platform/scan-templates@v2:scans';

/** `--templates project:...`, parsed. */
export interface TemplatesProject {
  /** Full path of the project (`platform/scan-templates`). */
  readonly project: string;
  /** Branch, tag or commit; undefined: the project's default branch. */
  readonly ref: string | undefined;
  /** Folder in the repository, without slashes at either end; '' is the repository's root. */
  readonly folder: string;
}

export interface ScanTemplateOrigin {
  /** Folder a `DIR` is relative to. */
  readonly cwd: string;
  /** Where a `project:` reference is read. */
  readonly source: Source;
}

export async function readScanTemplates(templatesOption: string | undefined, origin: ScanTemplateOrigin): Promise<ScanTemplates> {
  const names = scanTemplateNames();
  const templates = new Map<string, ScanTemplateText>();
  for (const name of names) {
    templates.set(name, { name, file: `templates/scans/${name}`, text: decodeUtf8(await readFile(join(BUILT_IN, name)), `templates/scans/${name}`) });
  }
  if (templatesOption === undefined) return templates;
  const project = parseTemplatesProject(templatesOption);
  const replacements =
    project === undefined ? await readFolder(templatesOption, origin.cwd) : await readProjectFolder(templatesOption, project, origin.source);
  for (const replacement of replacements) {
    if (!names.includes(replacement.name)) {
      throw new UsageError('bad-arguments', `--templates ${templatesOption}: ${replacement.name} is not a scan template name`, {
        hint: `Scan templates are named ${names.join(', ')}.`,
      });
    }
    templates.set(replacement.name, await replacement.read());
  }
  return templates;
}

/**
 * `project:<full/path>[@<ref>][:<folder>]`, or undefined when the value does not start with
 * `project:` (then it is a local folder; `./project:x` names a folder called `project:x`). Project
 * paths hold neither `@` nor `:` and git refs hold no `:`, so the first `:` after the prefix starts
 * the folder and the first `@` before it starts the ref.
 */
export function parseTemplatesProject(value: string, flag = 'templates'): TemplatesProject | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const rest = value.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  const head = colon < 0 ? rest : rest.slice(0, colon);
  const at = head.indexOf('@');
  const project = at < 0 ? head : head.slice(0, at);
  const ref = at < 0 ? undefined : head.slice(at + 1);
  const folder = colon < 0 ? '' : rest.slice(colon + 1).replace(/^\/+|\/+$/g, '');
  const bad = (what: string): UsageError => new UsageError('bad-arguments', `--${flag} ${value}: ${what}`, { hint: `Write ${SYNTAX}.` });
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/.test(project)) {
    throw bad(`'${project}' is not a project's full path (group/project)`);
  }
  if (ref !== undefined && !/^[^\s:~^?*[\\]+$/.test(ref)) throw bad(`'${ref}' is not a ref`);
  if (colon >= 0 && (folder === '' || folder.split('/').some((part) => part === '' || part === '.' || part === '..'))) {
    throw bad(`'${rest.slice(colon + 1)}' is not a folder of the repository`);
  }
  return { project, ref, folder };
}

interface Replacement {
  readonly name: string;
  read(): Promise<ScanTemplateText>;
}

const isYaml = (name: string): boolean => name.endsWith('.yml') || name.endsWith('.yaml');

async function readFolder(dir: string, cwd: string): Promise<Replacement[]> {
  const entries = await readdir(resolve(cwd, dir)).catch((error: unknown) => {
    throw new UsageError('bad-arguments', `--templates ${dir}: cannot read the folder`, {
      cause: error,
      hint: `Give a folder holding <scan>.yml files, or a project as ${SYNTAX}.`,
    });
  });
  return entries
    .filter(isYaml)
    .sort()
    .map((name) => ({ name, read: async () => ({ name, file: join(dir, name), text: decodeUtf8(await readFile(resolve(cwd, dir, name)), join(dir, name)) }) }));
}

async function readProjectFolder(value: string, spec: TemplatesProject, source: Source): Promise<Replacement[]> {
  const { project, ref, folder } = spec;
  const missing = (what: string, hint: string): UsageError => new UsageError('bad-arguments', `--templates ${value}: ${what}`, { hint });
  if ((await source.readProject(project)) === undefined) {
    throw missing(
      `project ${project} was not found`,
      'Check the path. In a CI job the token must be able to read it: with CI_JOB_TOKEN, add the composed projects to its job token allowlist.',
    );
  }
  const files = await source.listFiles(project, ref);
  if (files.length === 0) {
    throw missing(`project ${project} has no files at ${ref ?? 'its default branch'}`, 'Check the ref: a branch, tag or commit of the project.');
  }
  const prefix = folder === '' ? '' : `${folder}/`;
  if (!files.some((path) => path.startsWith(prefix))) {
    throw missing(`project ${project} has no folder ${folder}${ref === undefined ? '' : ` at ${ref}`}`, 'Name the folder holding the <scan>.yml files.');
  }
  const at = ref === undefined ? '' : `@${ref}`;
  return files
    .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/') && isYaml(path))
    .map((path) => path.slice(prefix.length))
    .sort()
    .map((name) => ({
      name,
      read: async () => {
        const path = `${prefix}${name}`;
        const text = await source.readFile(project, path, ref);
        if (text === undefined) throw missing(`cannot read ${project}:${path}${at}`, 'The file was listed but could not be read; run again.');
        return { name, file: `${project}:${path}${at}`, text };
      },
    }));
}
