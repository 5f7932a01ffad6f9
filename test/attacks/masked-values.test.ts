/**
 * Attack: a project writes a masked CI/CD variable into an include path, a rule or its workflow
 * name, so that its value is expanded into text we write: the report and JUnit artifacts (which
 * GitLab does not mask), the explanation, error messages and logs. Expected: the value is
 * `[MASKED]` in every one of them, whether it came from the job's variables (`compose --job`, as
 * policy:compose runs it with a clean process environment) or `--var`; a project variable
 * `GITLAB_CI=false` does not turn masking off, and the tokens never show.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeJob, JOB_TOKEN, writeCheckout } from '../helpers/ci-job.js';
import type { ServedHandlers } from '../http/serve-handlers.js';
import { runRealCli, writeTree } from './real-cli.js';
import { composeAsJob, examples, startGitlab, TOKEN as HARNESS_TOKEN } from './job-harness.js';

const SECRET = 'hunter2-s3cr3t-7781';
const servers: ServedHandlers[] = [];

afterAll(async () => {
  for (const server of servers) await server.close();
});

const project = {
  workflow: { name: 'Release $SECRET_NAME' },
  include: [{ local: 'ci/$SECRET_NAME.yml' }],
  build: { stage: 'build', script: ['make'], rules: [{ exists: ['$SECRET_NAME/**/*'], when: 'never' }, { if: '$SECRET_NAME == "nothing"', when: 'never' }, { when: 'on_success' }] },
};

async function expectMasked(texts: readonly string[]): Promise<void> {
  for (const text of texts) expect(text).not.toContain(SECRET);
  expect(texts.join('\n')).toContain('[MASKED]');
}

describe('a masked value never reaches an output', () => {
  it('compose --var: report, JUnit, summary and explain name the include as [MASKED]', async () => {
    const root = await writeTree({
      'acme/web/.gitlab-ci.yml': stringify(project),
      [`acme/web/ci/${SECRET}.yml`]: stringify({ test: { stage: 'test', script: ['npm test'] } }),
    });
    const args = ['--workspace', root, '--project', 'acme/web', '--branch', 'main', '--source', 'push', '--var', `SECRET_NAME=${SECRET}`];
    const compose = await runRealCli(['compose', ...args, '--allow-no-policies', '--out', join(root, 'pipeline.yml'), '--report', join(root, 'report.json'), '--junit', join(root, 'junit.xml'), '--summary'], { cwd: root });
    expect(compose.code, compose.stderr).toBe(0);
    const report = await readFile(join(root, 'report.json'), 'utf8');
    expect(JSON.parse(report)).toMatchObject({ name: 'Release [MASKED]', files: expect.arrayContaining([expect.objectContaining({ location: expect.stringContaining('ci/[MASKED].yml') })]) });
    const explain = await runRealCli(['explain', ...args], { cwd: root });
    expect(explain.code, explain.stderr).toBe(0);
    const dryRun = await runRealCli(['compose', ...args, '--dry-run', '--allow-no-policies'], { cwd: root });
    expect(dryRun.code, dryRun.stderr).toBe(0);
    await expectMasked([report, await readFile(join(root, 'junit.xml'), 'utf8'), compose.stderr, explain.stdout, explain.stderr, dryRun.stdout, dryRun.stderr]);
    // The jobs themselves are decided with the real value, and the composed pipeline keeps its jobs.
    expect(await readFile(join(root, 'pipeline.yml'), 'utf8')).toMatch(/^test:$/m);
  });

  it('compose --var: an include that does not exist fails with the path [MASKED] in the message and the JUnit file', async () => {
    const root = await writeTree({ 'acme/web/.gitlab-ci.yml': stringify(project) });
    const result = await runRealCli(
      ['compose', '--workspace', root, '--project', 'acme/web', '--branch', 'main', '--var', `SECRET_NAME=${SECRET}`, '--junit', join(root, 'junit.xml'), '--log-level', 'debug'],
      { cwd: root },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ci/[MASKED].yml');
    await expectMasked([result.stderr, result.stdout, await readFile(join(root, 'junit.xml'), 'utf8')]);
  });

  it('in a CI job: a project variable from the environment is masked in messages, logs and the JUnit file', async () => {
    await expectJobRunMasked({});
  });

  it('in a CI job: a project variable GITLAB_CI=false does not turn masking off', async () => {
    await expectJobRunMasked({ GITLAB_CI: 'false' });
  });

  /** compose --job as policy:compose runs it (clean process environment, the variables in --job-env-file). */
  async function expectJobRunMasked(attack: Record<string, string>): Promise<void> {
    const gitlab = await startGitlab();
    servers.push(gitlab);
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    await writeFile(join(checkout, '.gitlab-ci.yml'), stringify(project));
    const result = await composeAsJob(gitlab, checkout, { SECRET_NAME: SECRET, ...attack }, composeJob(), ['--junit', 'junit.xml', '--log-level', 'debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ci/[MASKED].yml');
    await expectMasked([result.stderr, result.stdout, await readFile(join(checkout, 'junit.xml'), 'utf8')]);
    expect(result.stderr).not.toContain(JOB_TOKEN);
    expect(result.stderr).not.toContain(HARNESS_TOKEN);
  }

  it('in a CI job: the report, JUnit file and summary of a composed pipeline mask the value', async () => {
    const gitlab = await startGitlab();
    servers.push(gitlab);
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    await writeFile(join(checkout, '.gitlab-ci.yml'), stringify(project));
    await mkdir(join(checkout, 'ci'), { recursive: true });
    await writeFile(join(checkout, 'ci', `${SECRET}.yml`), stringify({ test: { stage: 'test', script: ['npm test'] } }));
    const result = await composeAsJob(gitlab, checkout, { SECRET_NAME: SECRET }, composeJob(), ['--out', 'pipeline.yml', '--junit', 'junit.xml', '--summary']);
    expect(result.code, result.stderr).toBe(0);
    const report = await readFile(join(checkout, 'policy-report.json'), 'utf8');
    expect(JSON.parse(report)).toMatchObject({ name: 'Release [MASKED]' });
    await expectMasked([report, await readFile(join(checkout, 'junit.xml'), 'utf8'), result.stderr, result.stdout]);
    // The jobs are decided with the real value: the include was read.
    expect(await readFile(join(checkout, 'pipeline.yml'), 'utf8')).toMatch(/^test:$/m);
  });
});
