/**
 * Generates a large, realistic GitLab CI configuration for benchmarks: a main file with
 * `workflow`, `stages`, `default` and global `variables` that includes N local files; each
 * include file holds one family of hidden templates chained by `extends` and a slice of the jobs.
 * Some jobs extend another file's family (cross-file `extends`), some have `rules`
 * (merge request / default branch / tag / `changes`), some `needs` (earlier-stage jobs without
 * rules, so the DAG is valid in every context) and some `needs: []`. Fully deterministic: every
 * choice is arithmetic on the job index, so the same options always give the same bytes.
 */
import { stringify } from 'yaml';

export interface LargeConfigOptions {
  /** Number of real (visible) jobs. */
  jobs: number;
  /** Number of local include files the jobs are spread over (at least 1). */
  includes: number;
  /** Length of each `extends` chain of hidden templates (0: jobs extend nothing). */
  extendsDepth: number;
}

export interface LargeConfig {
  /** Path → YAML text; `.gitlab-ci.yml` is the main file. */
  files: Record<string, string>;
}

type Mapping = Record<string, unknown>;

const stages = ['build', 'test', 'package', 'deploy'] as const;
const components = ['api', 'web', 'worker', 'auth', 'billing', 'search', 'notify', 'reports', 'gateway', 'admin', 'mobile', 'cli'];
const actions: Record<(typeof stages)[number], readonly string[]> = {
  build: ['compile', 'bundle', 'codegen'],
  test: ['unit', 'lint', 'integration', 'e2e'],
  package: ['image', 'chart', 'sbom'],
  deploy: ['review', 'staging', 'production'],
};

export function generateLargeConfig(options: LargeConfigOptions): LargeConfig {
  const includeCount = Math.max(1, Math.floor(options.includes));
  const jobCount = Math.max(0, Math.floor(options.jobs));
  const depth = Math.max(0, Math.floor(options.extendsDepth));
  const perFile = Math.ceil(jobCount / includeCount);
  const files: Record<string, string> = {};
  files['.gitlab-ci.yml'] = renderMain(includeCount);
  for (let file = 0; file < includeCount; file += 1) {
    const content: Mapping = { ...familyTemplates(file, depth) };
    const first = file * perFile;
    for (let index = first; index < Math.min(jobCount, first + perFile); index += 1) {
      content[jobName(index)] = buildJob(index, includeCount, perFile, depth);
    }
    files[includePath(file)] = render(`Family ${familyName(file)}: templates and jobs ${first}..${first + perFile - 1}`, content);
  }
  return { files };
}

function renderMain(includeCount: number): string {
  const main: Mapping = {
    workflow: {
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
        { if: '$CI_COMMIT_TAG' },
      ],
    },
    include: Array.from({ length: includeCount }, (_, file) => ({ local: includePath(file) })),
    stages: [...stages],
    default: {
      image: 'node:20-alpine',
      before_script: ['echo "default before_script"'],
      interruptible: true,
    },
    variables: Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [`GLOBAL_${String(index).padStart(2, '0')}`, `value-${index}`]),
    ),
  };
  return render('Generated benchmark pipeline (bench/generate.ts)', main);
}

/** `.family-<f>-1` … `.family-<f>-<depth>`, each extending the previous one. */
function familyTemplates(file: number, depth: number): Mapping {
  const templates: Mapping = {};
  for (let level = 1; level <= depth; level += 1) {
    const template: Mapping = level > 1 ? { extends: templateName(file, level - 1) } : {};
    template['variables'] = { [`FAMILY_${file}_LEVEL_${level}`]: 'set', FAMILY_LEVEL: String(level) };
    if (level === 1) template['tags'] = ['docker'];
    if (level === 2) template['before_script'] = ['echo "family before_script"', 'npm ci --prefer-offline'];
    if (level === depth) template['script'] = ['echo "family default script"'];
    templates[templateName(file, level)] = template;
  }
  return templates;
}

function buildJob(index: number, includeCount: number, perFile: number, depth: number): Mapping {
  const stageIndex = index % stages.length;
  const stage = stages[stageIndex] ?? 'test';
  const component = components[index % components.length] ?? 'app';
  const job: Mapping = {};
  if (depth > 0) {
    const home = Math.floor(index / perFile);
    // Every third job reaches into the next file's family, exercising cross-file extends.
    const family = index % 3 === 0 ? (home + 1) % includeCount : home;
    job['extends'] = templateName(family, depth);
  }
  job['stage'] = stage;
  job['script'] = [`echo "${stage} ${component} #${index}"`, `./scripts/${stage}.sh ${component}`];
  if (index % 4 === 2) job['variables'] = { COMPONENT: component, FAMILY_LEVEL: 'job' };
  const rules = rulesFor(index, component);
  if (rules !== undefined) job['rules'] = rules;
  const needs = needsFor(index);
  if (needs !== undefined) job['needs'] = needs;
  if (stage === 'deploy' && index % 8 === 7) job['environment'] = { name: `review/${component}` };
  if (stage === 'package' && index % 6 === 2) job['artifacts'] = { paths: ['dist/'], expire_in: '1 week' };
  return job;
}

function rulesFor(index: number, component: string): Mapping[] | undefined {
  if (index % 10 === 3) {
    return [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }, { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }];
  }
  if (index % 10 === 7) return [{ if: '$CI_COMMIT_TAG', when: 'manual' }, { when: 'never' }];
  if (index % 25 === 11) return [{ changes: [`services/${component}/**/*`, 'package.json'] }];
  return undefined;
}

function hasRules(index: number): boolean {
  return index % 10 === 3 || index % 10 === 7 || index % 25 === 11;
}

/** A job in the previous stage that always runs, or `[]` for some early starters. */
function needsFor(index: number): string[] | undefined {
  const stageIndex = index % stages.length;
  if (stageIndex === 1 && index % 8 === 5) return [];
  if (stageIndex === 0 || index % 3 !== 0) return undefined;
  for (let candidate = index - 1; candidate >= 0; candidate -= stages.length) {
    if (candidate % stages.length === stageIndex - 1 && !hasRules(candidate)) return [jobName(candidate)];
  }
  return undefined;
}

function jobName(index: number): string {
  const stage = stages[index % stages.length] ?? 'test';
  const action = actions[stage][Math.floor(index / stages.length) % actions[stage].length] ?? 'run';
  const component = components[index % components.length] ?? 'app';
  return `${stage}:${component}:${action}-${String(index).padStart(4, '0')}`;
}

function templateName(file: number, level: number): string {
  return `.${familyName(file)}-${level}`;
}

function familyName(file: number): string {
  return `family-${String(file).padStart(2, '0')}`;
}

function includePath(file: number): string {
  return `ci/${familyName(file)}.yml`;
}

function render(comment: string, value: Mapping): string {
  return `# ${comment}\n${stringify(value, { lineWidth: 0 })}`;
}
