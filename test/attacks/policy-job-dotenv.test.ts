/**
 * Attack: a project job publishes `artifacts:reports:dotenv` with `SECRET_DETECTION_DISABLED=true`
 * (or any variable a policy or scan job reads), or leaves files in its artifacts for them. A job
 * without `dependencies` or `needs` downloads the artifacts, and the dotenv variables, of every
 * job in earlier stages. Stage-ordered policy and scan jobs now name their dependencies: the
 * policy and scan jobs of earlier stages only (src/compose/enforce/artifact-sources.ts). Composed
 * by the CLI, run under gitlab-ci-local, which passes dotenv variables from a job's dependencies.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../run/run-pipeline.js';
import { composeAppWeb, pipelinePolicy, POLICY_CI, POLICY_FILE, scanPolicy } from './policy-job-workspace.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SHOW = 'SECRET_DETECTION_DISABLED=${SECRET_DETECTION_DISABLED-unset} SECURE_LOG_LEVEL=${SECURE_LOG_LEVEL-unset}';

/** The shipped secret detection template with the analyzer replaced by a line showing what it sees. */
async function stubTemplates(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'templates-'));
  const text = await readFile(join(repoRoot, 'templates/scans/secret_detection.yml'), 'utf8');
  await writeFile(join(dir, 'secret_detection.yml'), text.replace('- /analyzer run', `- echo "scan ${SHOW}"`));
  return dir;
}

describe('attack: a project job hands policy and scan jobs variables through a dotenv report', () => {
  it('SECRET_DETECTION_DISABLED=true from a dotenv report reaches the project job only', async () => {
    const files = {
      [POLICY_FILE]: {
        scan_execution_policy: [scanPolicy([{ scan: 'secret_detection' }])],
        pipeline_execution_policy: [pipelinePolicy()],
      },
      [POLICY_CI]: { 'policy-audit': { stage: '.pipeline-policy-post', script: [`echo "policy ${SHOW}"`] } },
      'app/web/.gitlab-ci.yml': {
        build: {
          stage: 'build',
          script: ["printf 'SECRET_DETECTION_DISABLED=true\\nSECURE_LOG_LEVEL=debug\\n' > build.env"],
          artifacts: { reports: { dotenv: 'build.env' } },
        },
        consumer: { stage: 'deploy', script: [`echo "project ${SHOW}"`] },
      },
    };
    const run = await composeAppWeb(files, ['--templates', await stubTemplates()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.jobs['secret-detection-0']?.['dependencies']).toEqual([]);
    expect(run.jobs['policy-audit']?.['dependencies']).toEqual(['secret-detection-0']);

    const result = await runPipeline(run.stdout);
    const output = (job: string) => result.jobs.get(job)?.output.join('\n') ?? '';
    // Control: the project's own later job gets the dotenv variables.
    expect(output('consumer'), result.log).toContain('project SECRET_DETECTION_DISABLED=true SECURE_LOG_LEVEL=debug');
    expect(output('secret-detection-0'), result.log).toContain('scan SECRET_DETECTION_DISABLED=unset SECURE_LOG_LEVEL=unset');
    expect(output('policy-audit'), result.log).toContain('policy SECRET_DETECTION_DISABLED=unset SECURE_LOG_LEVEL=unset');
    // A CLI process and a gitlab-ci-local run on a busy two-core box.
  }, 120_000);

  it('a policy job that names its own dependencies or needs keeps them', async () => {
    const run = await composeAppWeb({
      [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy()] },
      [POLICY_CI]: {
        stages: ['build', 'test'],
        'policy-build': { stage: 'build', script: ['make'], artifacts: { paths: ['out/'] } },
        'policy-named': { stage: 'test', dependencies: ['policy-build'], script: ['check'] },
        'policy-needs': { stage: 'test', needs: ['policy-build'], script: ['check'] },
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.jobs['policy-named']?.['dependencies']).toEqual(['policy-build']);
    expect(run.jobs['policy-needs']?.['dependencies']).toBeUndefined();
  });
});
