/**
 * The schema check the oracle and test/run run in the worker (gitlab-ci-schema.ts) is
 * gitlab-ci-local's own: on each configuration below, gitlab-ci-local runs its check in its
 * process (`--json-schema-validation=true`) and the worker checks the expanded configuration
 * that same run wrote; both verdicts must be the expected one. The cases include what
 * gitlab-ci-local relaxes in GitLab's schema (src/schema.ts), so a schema read wrongly from its
 * bundle fails here.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bundledSchema, gitlabCiSchemaErrors } from './gitlab-ci-schema.js';
import { createOracleRepo } from './oracle-repo.js';
import { OracleError, isRecord, runGitlabCiLocal } from './oracle-run.js';

interface Verdicts {
  /** gitlab-ci-local's check in its own process; undefined when it accepted. */
  readonly gitlabCiLocal: string | undefined;
  /** The worker's check of the configuration that run expanded; empty when it accepts. */
  readonly worker: readonly string[];
}

async function checkBothWays(config: string): Promise<Verdicts> {
  const source = await mkdtemp(join(tmpdir(), 'gitlab-ci-schema-'));
  try {
    await writeFile(join(source, '.gitlab-ci.yml'), config);
    const repo = await createOracleRepo({ sourceDir: source, ignore: [], branch: 'main', tag: undefined, defaultBranch: 'main', projectPath: 'acme/web', changedPaths: [] });
    try {
      let gitlabCiLocal: string | undefined;
      try {
        await runGitlabCiLocal(repo, { variables: {}, unset: [], evaluateChanges: false, schemaCheck: 'gitlab-ci-local' });
      } catch (error) {
        if (!(error instanceof OracleError)) throw error;
        gitlabCiLocal = error.message;
      }
      // gitlab-ci-local writes the expanded configuration before it checks it (src/parser.ts Parser.create).
      const expanded: unknown = parse(await readFile(join(repo.root, repo.stateName, 'expanded-gitlab-ci.yml'), 'utf8'), { maxAliasCount: -1 });
      return { gitlabCiLocal, worker: gitlabCiSchemaErrors(expanded).map((error) => error.message) };
    } finally {
      await repo.remove();
    }
  } finally {
    await rm(source, { recursive: true, force: true });
  }
}

/** Valid GitLab CI, one job per case, checked in one run (a wrong verdict names the job in the errors). */
const accepted = [
  '# a plain job',
  'build:\n  stage: build\n  script: [make]',
  '# a cache key with a slash: valid only because gitlab-ci-local removes GitLab\'s pattern',
  'cache-slash:\n  script: [make]\n  cache:\n    key: deps/$CI_COMMIT_REF_SLUG\n    paths: [vendor]',
  '# an environment name and url with variables',
  'deploy:\n  script: [make]\n  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n    url: https://$CI_ENVIRONMENT_SLUG.example.com',
  '# a trigger with strategy depend, needs and rules',
  'child:\n  needs: [build]\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n  trigger:\n    include: child.yml\n    strategy: depend',
].join('\n') + '\n';

const rejected: readonly (readonly [string, string, RegExp])[] = [
  ['a trigger strategy GitLab does not know', 'child:\n  trigger:\n    include: child.yml\n    strategy: sometimes\n', /strategy/],
  ['a job keyword GitLab does not know', 'build:\n  script: [make]\n  scripts: [make]\n', /scripts/],
  ['retry above 2', 'build:\n  script: [make]\n  retry: 5\n', /retry/],
  ['a when GitLab does not know', 'build:\n  script: [make]\n  when: sometimes\n', /when/],
];

describe('the schema check in the worker is gitlab-ci-local\'s', () => {
  it('reads GitLab\'s CI schema from the bundle with gitlab-ci-local\'s edits', () => {
    const schema = bundledSchema();
    const definitions = schema['definitions'];
    if (!isRecord(definitions)) throw new Error('no definitions');
    const jobTemplate = definitions['job_template'];
    if (!isRecord(jobTemplate) || !isRecord(jobTemplate['properties'])) throw new Error('no job_template');
    expect(jobTemplate['properties']['gclDescription']).toEqual({ type: 'string' });
    // src/schema.ts deletes the include shorthand's pattern (GitLab's rejects glob wildcards).
    const includeItem = definitions['include_item'];
    const shorthand = isRecord(includeItem) && Array.isArray(includeItem['oneOf']) ? (includeItem['oneOf'] as unknown[])[0] : undefined;
    expect(shorthand).toMatchObject({ type: 'string', format: 'uri-reference' });
    expect(shorthand).not.toHaveProperty('pattern');
  });

  it('both accept a plain job, a cache key with a slash, an environment with variables and a trigger', async () => {
    const verdicts = await checkBothWays(accepted);
    expect(verdicts).toEqual({ gitlabCiLocal: undefined, worker: [] });
  });

  it.each(rejected)('both reject %s', async (_name, config, property) => {
    const verdicts = await checkBothWays(config);
    expect(verdicts.gitlabCiLocal).toMatch(/Invalid \.gitlab-ci\.yml configuration/);
    expect(verdicts.gitlabCiLocal).toMatch(property);
    expect(verdicts.worker.length).toBeGreaterThan(0);
    expect(verdicts.worker.join('\n')).toMatch(property);
  });
});
