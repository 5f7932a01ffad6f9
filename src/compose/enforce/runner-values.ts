/**
 * Values the runner reads before a job's script runs, written literally into policy and scan
 * jobs. GitLab Runner expands `image`, `services:[]`, `services:[]:name`, `cache:key` (and the
 * cache paths) itself, with Go's `os.Expand` over every job variable (docs
 * "ci/variables/where_variables_can_be_used", "GitLab Runner internal variable expansion
 * mechanism"); in a plain child pipeline a project, group or pipeline variable outranks the
 * policy's YAML there, and no script line can change an image that is already pulled. So each
 * reference is resolved at compose time from what the policy controls:
 * - a YAML variable of the job whose value wins (policy-variables.ts decides which win);
 * - a value GitLab gives the job that compose knows from the pipeline's facts (`known`);
 * - a name the policy lets the project set (`variables_override`) stays a reference for the runner;
 * anything else is a PolicyError naming the variable: fail closed rather than let a project
 * variable pick the image.
 *
 * `tags` are expanded the same way by GitLab itself when it creates the job
 * (`Seed::Build#evaluate_runner_tags`, `ExpandVariables.expand_existing` over the job's variables,
 * project variables included), which would let a project variable send a policy job to a runner
 * the project controls; they are written literally too.
 *
 * `services:[]:entrypoint` and `:command` are not expanded by the runner (not in GitLab's list),
 * so a `$` there reaches the container as it is and no variable can steer it.
 */
import type { VariableMap } from '../../ci/expand/index.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../../ci/value.js';
import { PolicyError, type SourceLocation } from '../../errors.js';
import { splitVariableValue } from './shell-words.js';

export interface RunnerValueScope {
  /** The job's YAML variables. */
  readonly variables: VariableMap;
  /** Whether the YAML value of `name` wins over any project, group or pipeline variable. */
  readonly wins: (name: string) => boolean;
  /** Whether the policy lets a project, group or pipeline variable set `name`. */
  readonly fromOutside: (name: string) => boolean;
  /** Values GitLab gives the job that compose knows from the pipeline's facts. */
  readonly known: Readonly<Record<string, string>>;
}

export interface RunnerValueJob {
  readonly name: string;
  readonly definition: CiMap;
  readonly location: SourceLocation | undefined;
  /** Who can fix a failure: the policy's CI file or the scan action. */
  readonly kind: 'policy' | 'scan-policy';
}

/** The definition with `image`, `services`, `cache` and `tags` expanded as far as the policy decides them. */
export function writeRunnerValuesLiterally(job: RunnerValueJob, scope: RunnerValueScope): CiMap {
  const { definition } = job;
  if (!RUNNER_KEYWORDS.some((keyword) => definition[keyword] !== undefined)) return definition;
  const expand = (text: string, keyword: string): string => {
    const result = expandRunnerText(text, scope, 0);
    if ('missing' in result) throw missingVariable(job, keyword, result.missing);
    return result.text;
  };
  const edited: CiMap = { ...definition };
  if (definition['image'] !== undefined) edited['image'] = expandNamed(definition['image'], ['name'], (text) => expand(text, 'image'));
  const services = definition['services'];
  if (isSeq(services)) edited['services'] = services.map((service) => expandNamed(service, ['name', 'alias'], (text) => expand(text, 'services')));
  const cache = definition['cache'];
  if (cache !== undefined) {
    edited['cache'] = isSeq(cache) ? cache.map((entry) => expandCache(entry, (text) => expand(text, 'cache'))) : expandCache(cache, (text) => expand(text, 'cache'));
  }
  const tags = definition['tags'];
  if (isSeq(tags)) edited['tags'] = tags.map((tag) => (typeof tag === 'string' ? expand(tag, 'tags') : tag));
  return edited;
}

const RUNNER_KEYWORDS = ['image', 'services', 'cache', 'tags'];

type Expand = (text: string) => string;

/** `image: name` or `image: {name: ...}`; the same for one service (name, alias). */
function expandNamed(value: CiValue, keys: readonly string[], expand: Expand): CiValue {
  if (typeof value === 'string') return expand(value);
  if (!isMap(value)) return value;
  const edited: CiMap = { ...value };
  for (const key of keys) {
    const field = value[key];
    if (typeof field === 'string') edited[key] = expand(field);
  }
  return edited;
}

/** One cache entry: `key` (a string, or `{files, prefix}`), `paths`, `fallback_keys`. */
function expandCache(value: CiValue, expand: Expand): CiValue {
  if (!isMap(value)) return value;
  const edited: CiMap = { ...value };
  const key = value['key'];
  if (typeof key === 'string') edited['key'] = expand(key);
  else if (isMap(key) && typeof key['prefix'] === 'string') edited['key'] = { ...key, prefix: expand(key['prefix']) };
  for (const list of ['paths', 'fallback_keys']) {
    const entries = value[list];
    if (isSeq(entries)) edited[list] = entries.map((entry) => (typeof entry === 'string' ? expand(entry) : entry));
  }
  return edited;
}

type Expansion = { readonly text: string } | { readonly missing: string };

// A YAML value that refers to itself through others stops here; the runner expands once anyway.
const MAX_DEPTH = 10;

/**
 * `text` as the runner would read it: literal parts with `$` written `$$` (os.Expand's escape,
 * so the runner leaves them alone), references the policy lets the project set kept as `${NAME}`.
 */
function expandRunnerText(text: string, scope: RunnerValueScope, depth: number): Expansion {
  let out = '';
  for (const piece of splitVariableValue(text)) {
    if ('text' in piece) {
      out += escapeDollars(piece.text);
      continue;
    }
    const name = piece.reference;
    const variable = scope.variables[name];
    if (variable !== undefined && scope.wins(name)) {
      if (!variable.expand || depth >= MAX_DEPTH) {
        out += escapeDollars(variable.value);
        continue;
      }
      const inner = expandRunnerText(variable.value, scope, depth + 1);
      if ('missing' in inner) return inner;
      out += inner.text;
    } else if (scope.known[name] !== undefined) {
      out += escapeDollars(scope.known[name] ?? '');
    } else if (scope.fromOutside(name)) {
      out += `\${${name}}`;
    } else {
      return { missing: name };
    }
  }
  return { text: out };
}

/** os.Expand reads `$$` as one literal `$`. */
function escapeDollars(text: string): string {
  return text.split('$').join('$$');
}

function missingVariable(job: RunnerValueJob, keyword: string, name: string): PolicyError {
  const fix =
    job.kind === 'policy'
      ? `Set ${name} in the variables of the policy's CI file or of the job, write the value literally, or list ${name} in variables_override.exceptions (allowed: false) if the project may choose it.`
      : `Set ${name} in the scan action's variables or in the scan template, or write the value literally in the template.`;
  return new PolicyError(
    'policy-runner-variable',
    `${job.name} job: ${keyword} refers to $${name}, which only a project, group or pipeline variable could set; ` +
      'the runner reads this value before the script runs, so policy-sidecar writes it literally',
    { location: job.location, hint: fix },
  );
}
