/**
 * One planned include → the file's text and the scope its own includes are evaluated in
 * (External::File::Local, Project, Remote, Template, Component), with GitLab's messages.
 */
import { isSidecarError, type SourceLocation } from '../../errors.js';
import type { CiMap } from '../value.js';
import { parseComponentAddress } from './component-address.js';
import { fileNameIn } from './file-names.js';
import { includeError } from './include-error.js';
import { scopeFacts, type IncludeScope } from './include-scope.js';
import { checkIntegrity } from './integrity.js';
import type { PlannedInclude } from './plan-includes.js';
import { hasDotSegment, hasYamlExtension, toRepositoryPath } from './repository-path.js';
import type { IncludeEnvironment, IncludedFile, IncludeKind } from './types.js';

export interface ReadInclude {
  readonly file: Omit<IncludedFile, 'includedFrom' | 'depth'>;
  readonly text: string;
  /** Where the file's own includes are evaluated. */
  readonly scope: IncludeScope;
  /** `$[[ component.* ]]` values when the file is a component template. */
  readonly component: CiMap | undefined;
}

export interface ReadContext {
  readonly env: IncludeEnvironment;
  /** The scope of the file holding the include entry. */
  readonly parent: IncludeScope;
  /** The pipeline's own project and ref: `rules:exists` there needs no redirection. */
  readonly pipelineProject: string;
  readonly namesRelativeTo: { readonly project: string; readonly ref: string | undefined };
  readonly pipelineRef: string | undefined;
  /** Project metadata looked up during this run, so each project is asked for once. */
  readonly knownProjects: Map<string, Promise<boolean>>;
}

export async function readInclude(planned: PlannedInclude, context: ReadContext): Promise<ReadInclude> {
  const { location, target } = planned;
  if (planned.kind !== 'component' && !hasYamlExtension(target)) {
    throw includeError('include-path', `Included file \`${target}\` does not have YAML extension!`, location);
  }
  switch (planned.kind) {
    case 'local':
      return readLocal(target, location, context);
    case 'project':
      return readProjectFile(planned, context);
    case 'remote':
      return readRemote(planned, context);
    case 'template':
      return readTemplate(target, location, context);
    case 'component':
      return readComponent(target, location, context);
  }
}

/** docs "ci/yaml/#includelocal": the including file's project and ref, even inside a project include. */
async function readLocal(written: string, location: SourceLocation | undefined, context: ReadContext): Promise<ReadInclude> {
  const { parent } = context;
  if (parent.project === undefined) {
    throw includeError('include-path', `Local file \`${written}\` does not have project!`, location, {
      hint: 'Remote files and templates are read without a project, so they cannot include local files.',
    });
  }
  const path = toRepositoryPath(written, location);
  const text = hasDotSegment(written) ? undefined : await context.env.source.readFile(parent.project, path, parent.ref);
  if (text === undefined) {
    throw includeError('include-not-found', `Local file \`${written}\` does not exist!`, location, {
      hint: hasDotSegment(written) ? `GitLab reads include paths from the repository root as written and resolves no \`.\` or \`..\`: write \`${path}\`.` : undefined,
    });
  }
  if (text.trim() === '') throw includeError('include-not-found', `Local file \`${written}\` is empty!`, location);
  return projectRead('local', parent.project, path, parent.ref, text, context);
}

/** docs "ci/yaml/#includeproject": `ref` defaults to the project's default branch (HEAD). */
async function readProjectFile(planned: PlannedInclude, context: ReadContext): Promise<ReadInclude> {
  const { entry, location, target } = planned;
  const project = String(entry.project);
  const written = typeof entry.ref === 'string' || typeof entry.ref === 'number' ? String(entry.ref) : undefined;
  // An empty ref (e.g. `$CI_COMMIT_SHA` where it is not set) means the default branch, as no ref does.
  const ref = written === '' ? undefined : written;
  // The file is asked for with the project, not after it: one round less per level of project
  // includes (docs/gitlab-api.md). The project's check still decides first which error is
  // reported, so a failed early read is only caught here and awaited after the check.
  const early = hasDotSegment(target) ? undefined : earlyRead(project, target, ref, location, context);
  await requireProject(project, location, context);
  const path = toRepositoryPath(target, location);
  // As for local files (hasDotSegment): GitLab finds no file at `./a.yml` in the project's tree.
  const text = hasDotSegment(target) ? undefined : await (early ?? context.env.source.readFile(project, path, ref));
  if (text === undefined) {
    // Our Source cannot tell a missing ref from a missing file; an empty tree at the ref can.
    if (ref !== undefined && (await context.env.source.listFiles(project, ref)).length === 0) {
      throw includeError('include-project', `Project \`${project}\` reference \`${ref}\` does not exist!`, location);
    }
    throw includeError('include-not-found', `Project \`${project}\` file \`${target}\` does not exist!`, location);
  }
  if (text.trim() === '') throw includeError('include-not-found', `Project \`${project}\` file \`${target}\` is empty!`, location);
  return projectRead('project', project, path, ref, text, context);
}

/** Starts reading an include:project file before its project is known; undefined when the path is invalid (reported later). */
function earlyRead(project: string, target: string, ref: string | undefined, location: SourceLocation | undefined, context: ReadContext): Promise<string | undefined> | undefined {
  let path: string;
  try {
    path = toRepositoryPath(target, location);
  } catch {
    return undefined;
  }
  const read = context.env.source.readFile(project, path, ref);
  read.catch(() => undefined);
  return read;
}

async function requireProject(project: string, location: SourceLocation | undefined, context: ReadContext): Promise<void> {
  let known = context.knownProjects.get(project);
  if (known === undefined) {
    known = context.env.source.readProject(project).then((metadata) => metadata !== undefined);
    context.knownProjects.set(project, known);
  }
  if (!(await known)) {
    throw includeError(
      'include-project',
      `Project \`${project}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.`,
      location,
    );
  }
}

/** docs "ci/yaml/#includeremote": nested includes run without project context and without variables. */
async function readRemote(planned: PlannedInclude, context: ReadContext): Promise<ReadInclude> {
  const { entry, location, target: url } = planned;
  if (!/^https?:\/\/[^\s/]+/i.test(url)) {
    throw includeError('include-remote', `Remote file \`${url}\` does not have a valid address!`, location);
  }
  let text: string;
  try {
    text = await context.env.remote.fetchText(url);
  } catch (error) {
    throw isSidecarError(error) && location !== undefined ? error.withLocation(location) : error;
  }
  if (typeof entry.integrity === 'string') checkIntegrity(url, text, entry.integrity, location);
  if (text.trim() === '') throw includeError('include-not-found', `Included file \`${url}\` is empty or does not exist!`, location);
  return detachedRead('remote', url, url, text, context);
}

/** docs "ci/yaml/#includetemplate": names end in `.gitlab-ci.yml`; nested includes have no context. */
async function readTemplate(name: string, location: SourceLocation | undefined, context: ReadContext): Promise<ReadInclude> {
  if (!name.endsWith('.gitlab-ci.yml')) {
    throw includeError('include-path', `Template file \`${name}\` is not a valid location!`, location);
  }
  const text = await context.env.source.readTemplate(name);
  if (text === undefined || text.trim() === '') {
    throw includeError('include-not-found', `Included file \`${name}\` is empty or does not exist!`, location);
  }
  return detachedRead('template', name, `template:${name}`, text, context);
}

/** docs "ci/components/#use-a-component": templates/<name>.yml, else templates/<name>/template.yml. */
async function readComponent(address: string, location: SourceLocation | undefined, context: ReadContext): Promise<ReadInclude> {
  if (context.parent.project === undefined) {
    throw includeError('include-component', 'Unable to use components outside of a project context', location);
  }
  const component = parseComponentAddress(address, context.env.serverHost, location);
  const { project, ref } = component;
  const known = await context.env.source.readProject(project);
  for (const path of known === undefined ? [] : component.candidatePaths) {
    const text = await context.env.source.readFile(project, path, ref);
    if (text === undefined || text.trim() === '') continue;
    const read = projectRead('component', project, path, ref, text, context);
    const values: CiMap = { name: component.name, reference: component.version };
    // `version` is the released version; without the catalog we only know it when written in full.
    values.version = /^\d+\.\d+\.\d+([-+].*)?$/.test(component.version) ? component.version : null;
    return { ...read, component: values };
  }
  throw includeError('include-not-found', `Component '${address}' - content not found`, location, {
    hint: `Looked for ${component.candidatePaths.join(' and ')} in ${project}${ref === undefined ? '' : `@${ref}`}.`,
  });
}

function projectRead(kind: IncludeKind, project: string, path: string, ref: string | undefined, text: string, context: ReadContext): ReadInclude {
  const { env, parent, pipelineProject, pipelineRef } = context;
  const isPipelineFile = project === pipelineProject && ref === pipelineRef;
  const fileName = fileNameIn(context.namesRelativeTo, project, path, ref);
  const scope: IncludeScope = {
    kind,
    project,
    ref,
    path,
    fileName,
    // File::Local/Project/Component#expand_context_attrs pass the including context's variables on.
    variables: parent.variables,
    facts: scopeFacts(env.facts, project, ref, isPipelineFile),
    source: env.source,
    evaluateRules: env.evaluateRules,
  };
  return { file: { kind, location: fileName, project, path, ref }, text, scope, component: undefined };
}

function detachedRead(kind: 'remote' | 'template', path: string, fileName: string, text: string, context: ReadContext): ReadInclude {
  const { env } = context;
  const scope: IncludeScope = {
    kind,
    project: undefined,
    ref: undefined,
    path,
    fileName,
    variables: {}, // File::Remote/Template#expand_context_attrs is empty: no variables there.
    facts: scopeFacts(env.facts, undefined, undefined, false),
    source: env.source,
    evaluateRules: env.evaluateRules,
  };
  return { file: { kind, location: fileName, project: undefined, path, ref: undefined }, text, scope, component: undefined };
}
