/**
 * Attack: a project Developer or Maintainer sets a CI/CD or pipeline variable that GitLab Runner
 * reads before the job's script (`image`, `services`, `cache`), to swap a policy's or a scan's
 * image. In a child pipeline the project's variable outranks the policy's YAML there, so compose
 * writes those values literally (src/compose/enforce/runner-values.ts) or fails closed.
 */
import { describe, expect, it } from 'vitest';
import { composeAppWeb, pipelinePolicy, POLICY_CI, POLICY_FILE, scanPolicy } from './policy-job-workspace.js';

const policyCi = (job: Record<string, unknown>, variables: Record<string, string> = {}) => ({
  ...(Object.keys(variables).length > 0 ? { variables } : {}),
  'policy-check': { stage: '.pipeline-policy-pre', script: ['./check'], ...job },
});

describe('attack: project variables steer what the runner reads before a policy or scan job runs', () => {
  it('SECURE_ANALYZERS_PREFIX=evil.example/x: the scan jobs keep the template images, written literally', async () => {
    const run = await composeAppWeb(
      { [POLICY_FILE]: { scan_execution_policy: [scanPolicy([{ scan: 'secret_detection' }, { scan: 'sast' }])] } },
      ['--var', 'SECURE_ANALYZERS_PREFIX=evil.example/x', '--var', 'SECRETS_ANALYZER_VERSION=666'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.jobs['secret-detection-0']?.['image']).toBe('registry.gitlab.com/security-products/secrets:7');
    expect(run.jobs['semgrep-sast-1']?.['image']).toEqual({ name: 'registry.gitlab.com/security-products/semgrep:5' });
    expect(run.stdout).not.toContain('evil.example');
  });

  it("an action's SECURE_ANALYZERS_PREFIX is the one written", async () => {
    const action = { scan: 'secret_detection', variables: { SECURE_ANALYZERS_PREFIX: 'mirror.example/security' } };
    const run = await composeAppWeb({ [POLICY_FILE]: { scan_execution_policy: [scanPolicy([action])] } }, ['--var', 'SECURE_ANALYZERS_PREFIX=evil.example/x']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.jobs['secret-detection-0']?.['image']).toBe('mirror.example/security/secrets:7');
  });

  it("image: $POLICY_IMAGE with a project variable POLICY_IMAGE: the policy's YAML value is written, services and cache too", async () => {
    const job = {
      image: '$POLICY_IMAGE',
      services: [{ name: '${POLICY_IMAGE}', alias: 'db-$CI_JOB_STAGE' }, '$POLICY_IMAGE'],
      cache: { key: '$CI_COMMIT_REF_SLUG-$CI_JOB_NAME', paths: ['$CACHE_DIR/'] },
    };
    const run = await composeAppWeb(
      {
        [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy()] },
        [POLICY_CI]: policyCi(job, { POLICY_IMAGE: 'registry.example.com/policy/check:1.2', CACHE_DIR: '.cache' }),
      },
      ['--var', 'POLICY_IMAGE=evil.example/x:latest', '--var', 'CACHE_DIR=/etc'],
    );
    expect(run.code, run.stderr).toBe(0);
    const composed = run.jobs['policy-check'];
    expect(composed?.['image']).toBe('registry.example.com/policy/check:1.2');
    expect(composed?.['services']).toEqual([{ name: 'registry.example.com/policy/check:1.2', alias: 'db-policy-sidecar:pipeline-policy-pre' }, 'registry.example.com/policy/check:1.2']);
    expect(composed?.['cache']).toEqual({ key: 'main-policy-check', paths: ['.cache/'] });
  });

  it('image: $POLICY_IMAGE that only a project variable could fill fails closed at the policy file, naming the variable', async () => {
    const run = await composeAppWeb(
      { [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy()] }, [POLICY_CI]: policyCi({ image: 'registry.example.com/$POLICY_IMAGE' }) },
      ['--var', 'POLICY_IMAGE=evil.example/x'],
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/policy-ci\.yml:\d+:\d+: .*policy-check job: image refers to \$POLICY_IMAGE, which only a project, group or pipeline variable could set/);
  });

  it('a name the policy lets the project set (variables_override.exceptions) is left to the runner', async () => {
    const run = await composeAppWeb(
      {
        [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy({ variables_override: { allowed: false, exceptions: ['POLICY_IMAGE'] } })] },
        [POLICY_CI]: policyCi({ image: '$POLICY_IMAGE' }),
      },
      ['--var', 'POLICY_IMAGE=custom/x'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.jobs['policy-check']?.['image']).toBe('${POLICY_IMAGE}');
  });

  it('a predefined value a project variable could override (CI_PROJECT_PATH) is written from the pipeline facts', async () => {
    const run = await composeAppWeb(
      { [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy()] }, [POLICY_CI]: policyCi({ image: 'registry.example.com/$CI_PROJECT_PATH/check' }) },
      ['--var', 'CI_PROJECT_PATH=evil/x'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.jobs['policy-check']?.['image']).toBe('registry.example.com/app/web/check');
  });
});
