/**
 * Attack: under `variables_override: {allowed: false}` a project sets variables that steer the
 * tools a policy job runs (`NODE_OPTIONS`, `npm_config_registry`, `LC_ALL`, `PATH`, runner
 * feature flags `FF_*`), including names compose never saw. GitLab keeps every project, group
 * and pipeline variable but the exceptions out of such a job; a child pipeline cannot, so the job
 * drops every name it does not know, with shell builtins, before its own commands
 * (src/compose/enforce/environment-filter.ts). Run under gitlab-ci-local (bash, `--variable`
 * stands for the project's settings variables) and directly under dash, bash and busybox ash.
 */
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../run/run-pipeline.js';
import { composeAppWeb, JOB_SHELLS, mainShellLines, pipelinePolicy, POLICY_CI, POLICY_FILE, runJobShell } from './policy-job-workspace.js';

const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const PRINT =
  'echo "NODE_OPTIONS=${NODE_OPTIONS-unset} npm_config_registry=${npm_config_registry-unset} FF=${FF_NETWORK_PER_BUILD-unset} ' +
  'LC_ALL=${LC_ALL-unset} PATH=$PATH LEVEL=${POLICY_LEVEL-unset} CHOICE=${PROJECT_CHOICE-unset} PROJECT=$CI_PROJECT_PATH"';
// Names compose never sees: the CLI composes without them, the job gets them at run time.
const PROJECT_VARIABLES = {
  NODE_OPTIONS: '--require=/tmp/evil.js',
  npm_config_registry: 'https://evil.example',
  FF_NETWORK_PER_BUILD: 'true',
  LC_ALL: 'C',
  POLICY_LEVEL: 'off',
  PROJECT_CHOICE: 'mine',
  CI_PROJECT_PATH: 'evil/x',
};
const FILTERED = `NODE_OPTIONS=unset npm_config_registry=unset FF=unset LC_ALL=unset PATH=${SAFE_PATH} LEVEL=strict CHOICE=mine PROJECT=app/web`;

let composing: ReturnType<typeof composeOnce> | undefined;

/** Composed once for the three runs (the CLI process takes seconds on a busy box). */
function composeFiltered() {
  composing ??= composeOnce();
  return composing;
}

async function composeOnce() {
  const run = await composeAppWeb({
    [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy({ variables_override: { allowed: false, exceptions: ['PROJECT_CHOICE', 'RUN_TIMELINE'] } })] },
    [POLICY_CI]: { 'policy-check': { stage: '.pipeline-policy-pre', variables: { POLICY_LEVEL: 'strict' }, script: [PRINT] } },
    'app/web/.gitlab-ci.yml': { build: { stage: 'build', script: [PRINT.replace('echo "', 'echo "project ')] } },
  });
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('attack: project variables reach a policy job under variables_override allowed: false', () => {
  it('under gitlab-ci-local: NODE_OPTIONS, npm_config_registry, FF_*, LC_ALL are gone, PATH is reset, the exception passes', async () => {
    const composed = await composeFiltered();
    const hostPath = process.env.PATH ?? SAFE_PATH;
    const run = await runPipeline(composed.stdout, { variables: { ...PROJECT_VARIABLES, PATH: `/nonexistent/evil-bin:${hostPath}` } });
    const policy = run.jobs.get('policy-check');
    expect(policy?.status, run.log).toBe('success');
    expect(policy?.output).toContain(FILTERED);
    // Control: the project's own job sees every variable the project set.
    const project = run.jobs.get('build')?.output.join('\n') ?? '';
    expect(project, run.log).toContain('project NODE_OPTIONS=--require=/tmp/evil.js npm_config_registry=https://evil.example FF=true LC_ALL=C');
    // A CLI process and a gitlab-ci-local run on a busy two-core box.
  }, 120_000);

  for (const shell of JOB_SHELLS) {
    it(`${shell.join(' ')}: the same job drops them; a value with newlines cannot hide a name or break the filter`, async () => {
      const lines = mainShellLines((await composeFiltered()).jobs['policy-check']);
      const env = {
        ...PROJECT_VARIABLES,
        PATH: `/nonexistent/evil-bin:${SAFE_PATH}`,
        SNEAKY: "x\nexport 'not a name'\ndeclare -x CI_FAKE=1\nexport NODE_OPTIONS",
      };
      const result = await runJobShell(shell, [...lines.slice(0, -1), PRINT, 'echo "SNEAKY=${SNEAKY-unset} HOME=$HOME"'], '/', { ...env, HOME: '/builds/app/web' });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(FILTERED);
      // HOME pointing into the checkout (its .gitconfig, .npmrc) becomes the user's home from /etc/passwd.
      expect(result.stdout).toContain(`SNEAKY=unset HOME=${userInfo().homedir}`);
    });
  }
});
