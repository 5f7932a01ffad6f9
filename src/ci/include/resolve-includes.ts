/**
 * `include:` resolution for one configuration (docs "ci/yaml/includes"): every file's includes are
 * read and merged first, in order, then the file itself on top, recursively; the main file last.
 * Limits (150 files counting duplicates, 100 levels) and loops are checked as files are read.
 */
import type { SourceLocation } from '../../errors.js';
import { fileNameIn } from './file-names.js';
import { mergeCiMaps } from '../merge.js';
import { copyLocation } from '../positions.js';
import { isMap, type CiMap, type CiValue } from '../value.js';
import { includeError } from './include-error.js';
import { scopeFacts, type IncludeScope } from './include-scope.js';
import { loadContent } from './load-content.js';
import { planIncludes } from './plan-includes.js';
import { readInclude, type ReadContext, type ReadInclude } from './read-include.js';
import type { ConfigFileRef, IncludedFile, IncludeEnvironment, InputValues, ResolvedConfig } from './types.js';

/** One file on the way from the main file to the one being read, for loop detection. */
interface ChainLink {
  /** Undefined for the main file, which GitLab does not count as an included file. */
  readonly identity: string | undefined;
  readonly name: string;
}

/** State of one resolution run; created per call, never shared. */
interface Run {
  readonly env: IncludeEnvironment;
  readonly main: ConfigFileRef;
  readonly files: IncludedFile[];
  readonly knownProjects: Map<string, Promise<boolean>>;
  count: number;
}

/**
 * Resolves the includes of `text`, the content of `main`. `inputs` are pipeline inputs for the
 * main file's own `spec:inputs` (docs "ci/inputs/#for-a-pipeline").
 */
export async function resolveIncludes(
  main: ConfigFileRef,
  text: string,
  env: IncludeEnvironment,
  inputs?: InputValues,
): Promise<ResolvedConfig> {
  const home = env.namesRelativeTo ?? { project: main.project, ref: main.ref };
  const mainName = fileNameIn(home, main.project, main.path, main.ref);
  const mainFile: IncludedFile = { kind: 'main', location: mainName, project: main.project, path: main.path, ref: main.ref, includedFrom: undefined, depth: 0 };
  const run: Run = { env, main, files: [mainFile], knownProjects: new Map(), count: 0 };
  const content = loadContent({
    text,
    fileName: mainName,
    inputs: inputs === undefined ? undefined : { ...inputs },
    isMain: true,
    variables: env.variables,
    limits: env.limits,
    component: undefined,
    location: undefined,
  });
  const scope: IncludeScope = {
    kind: 'main',
    project: main.project,
    ref: main.ref,
    path: main.path,
    fileName: mainName,
    variables: env.variables,
    facts: scopeFacts(env.facts, main.project, main.ref, true),
    source: env.source,
    evaluateRules: env.evaluateRules,
  };
  const config = await expandFile(content, scope, [{ identity: undefined, name: mainName }], run);
  return { config, files: run.files };
}

async function expandFile(content: CiMap, scope: IncludeScope, chain: readonly ChainLink[], run: Run): Promise<CiMap> {
  if (!Object.prototype.hasOwnProperty.call(content, 'include')) return content;
  const planned = await planIncludes(content, scope);
  const parts: CiMap[] = [];
  const context: ReadContext = {
    env: run.env,
    parent: scope,
    pipelineProject: run.main.project,
    pipelineRef: run.main.ref,
    namesRelativeTo: run.env.namesRelativeTo ?? { project: run.main.project, ref: run.main.ref },
    knownProjects: run.knownProjects,
  };
  for (const include of planned) {
    countInclude(run, include.location);
    const read = await readInclude(include, context);
    const identity = identify(read, include.entry.inputs);
    checkLoop(chain, identity, read.file.location, include.location);
    const depth = chain.length;
    if (depth > run.env.limits.maxIncludeDepth) {
      throw includeError('include-depth', `Maximum of ${run.env.limits.maxIncludeDepth} nested include levels are allowed!`, include.location, {
        hint: `${read.file.location} is included ${depth} levels deep.`,
      });
    }
    run.files.push({ ...read.file, includedFrom: include.location, depth });
    const inputs = include.entry.inputs;
    const loaded = loadContent({
      text: read.text,
      fileName: read.file.location,
      inputs: inputs === undefined || inputs === null ? undefined : asInputs(inputs, include.location),
      isMain: false,
      variables: scope.variables,
      limits: run.env.limits,
      component: read.component,
      location: include.location,
    });
    parts.push(await expandFile(loaded, read.scope, [...chain, { identity, name: read.file.location }], run));
  }
  // docs "ci/yaml/includes#merge-method-for-include": included files in order, the file itself last.
  return mergeCiMaps(...parts, withoutInclude(content));
}

/** Mapper::Verifier: every file counts, duplicates included; the 151st fails (GitLab's `<=` check). */
function countInclude(run: Run, location: SourceLocation | undefined): void {
  run.count += 1;
  if (run.count > run.env.limits.maxIncludes) {
    throw includeError('include-limit', `Maximum of ${run.env.limits.maxIncludes} nested includes are allowed!`, location, {
      hint: 'Duplicate includes count toward the limit; check for an include loop or merge small files.',
    });
  }
}

/**
 * A file that includes itself through its own includes, with the same inputs, would include itself
 * forever: GitLab stops at "Maximum of 150 nested includes are allowed!". We stop at the repeat
 * and name the chain. The same file included twice side by side is not a loop (docs: "Use nested
 * includes with duplicate include entries").
 */
function checkLoop(chain: readonly ChainLink[], identity: string, name: string, location: SourceLocation | undefined): void {
  const start = chain.findIndex((link) => link.identity === identity);
  if (start < 0) return;
  const names = [...chain.slice(start).map((link) => link.name), name];
  throw includeError('include-loop', `Include loop: ${names.join(' → ')}`, location, {
    hint: 'Remove one of the includes in the loop (GitLab reports it as "Maximum of 150 nested includes are allowed!").',
  });
}

function identify(read: ReadInclude, inputs: unknown): string {
  const { file } = read;
  return JSON.stringify([file.kind === 'remote' || file.kind === 'template' ? file.kind : 'repository', file.project, file.ref, file.path, inputs ?? null]);
}

function asInputs(value: CiValue, location: SourceLocation | undefined): CiMap {
  if (isMap(value)) return value;
  // Interpolator: "Given inputs must be a hash".
  throw includeError('include-inputs', 'Given inputs must be a hash', location);
}

function withoutInclude(content: CiMap): CiMap {
  const own: CiMap = {};
  for (const [key, value] of Object.entries(content)) {
    if (key !== 'include') Object.defineProperty(own, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copyLocation(content, own);
}

