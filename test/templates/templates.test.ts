/**
 * The GitLab CI/CD components in templates/: included as users include them, read by our engine
 * (which jobs, stages, workflow) and by gitlab-ci-local (an independent parser that validates the
 * result against GitLab's CI JSON schema).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OracleContext } from '../oracle/gitlab-ci-local.js';
import { isRecord } from '../oracle/oracle-run.js';
import {
  COMPONENTS,
  includingConfig,
  jobNamed,
  repoRoot,
  resolveWithGitlabCiLocal,
  GITLAB_URL,
  resolveWithOurEngine,
  scriptOf,
  type ComponentName,
} from './template-fixtures.js';

const expectedArtifacts = {
  when: 'always',
  expire_in: '30 days',
  paths: ['policy-pipeline.yml', 'policy-pre-pipeline.yml', 'policy-report.json', 'policy-junit.xml'],
  reports: { junit: 'policy-junit.xml' },
};

const expectedTrigger = {
  include: [{ artifact: 'policy-pipeline.yml', job: 'policy:compose' }],
  strategy: 'depend',
  forward: { pipeline_variables: true, yaml_variables: false },
};

const expectedPreTrigger = { ...expectedTrigger, include: [{ artifact: 'policy-pre-pipeline.yml', job: 'policy:compose' }] };

describe.each(COMPONENTS)('component %s, read by our engine', (component: ComponentName) => {
  it('defines policy:compose, policy:pre and policy:pipeline with their stages, image, artifacts and triggers', async () => {
    const pipeline = await resolveWithOurEngine(includingConfig(component), { source: 'push', branch: 'main' });
    expect(pipeline.created, pipeline.resolved.reason).toBe(true);
    expect(pipeline.jobs.map((job) => [job.name, job.stage, job.when])).toEqual([
      ['policy:compose', '.pre', 'on_success'],
      ['policy:pre', 'test', 'on_success'],
      ['policy:pipeline', 'test', 'on_success'],
    ]);
    const compose = jobNamed(pipeline, 'policy:compose');
    expect(compose.definition['image']).toEqual({ name: 'registry.gitlab.com/policy-sidecar/policy-sidecar:0.1.0', entrypoint: [''] });
    expect(compose.definition['artifacts']).toEqual(expectedArtifacts);
    expect(compose.variables['POLICY_SIDECAR_JOB']?.value).toBe('compose');
    expect(scriptOf(compose).join('\n')).toContain(`/usr/bin/env -i HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin '/usr/local/bin/policy-sidecar' "$@"`);
    const trigger = jobNamed(pipeline, 'policy:pipeline');
    expect(trigger.definition['trigger']).toEqual(expectedTrigger);
    // The composed pipeline is created only after the pre pipeline passed (docs "ci/yaml" needs, when: on_success).
    expect(trigger.needs).toEqual([
      { job: 'policy:compose', artifacts: true },
      { job: 'policy:pre', artifacts: false },
    ]);
    expect(trigger.when).toBe('on_success');
    expect(trigger.variables['POLICY_SIDECAR_JOB']?.value).toBe('pipeline');
    const pre = jobNamed(pipeline, 'policy:pre');
    expect(pre.definition['trigger']).toEqual(expectedPreTrigger);
    expect(pre.needs).toEqual([{ job: 'policy:compose', artifacts: true }]);
    expect(pre.variables['POLICY_SIDECAR_JOB']?.value).toBe('pre');
  });

  it('takes its stages from inputs', async () => {
    const config = includingConfig(component, { stage_compose: 'build', stage_trigger: 'deploy' });
    const pipeline = await resolveWithOurEngine(config, { source: 'push', branch: 'main' });
    expect(pipeline.jobs.map((job) => [job.name, job.stage])).toEqual([
      ['policy:compose', 'build'],
      ['policy:pre', 'deploy'],
      ['policy:pipeline', 'deploy'],
    ]);
  });

  // docs "ci/yaml/workflow": merge request pipelines, and branch pipelines unless an MR is open.
  const workflowCases: readonly { name: string; context: OracleContext; created: boolean }[] = [
    { name: 'push to the default branch', context: { source: 'push', branch: 'main' }, created: true },
    { name: 'push to a branch without a merge request', context: { source: 'push', branch: 'feature/a' }, created: true },
    { name: 'merge request pipeline', context: { source: 'merge_request_event', branch: 'feature/a' }, created: true },
    {
      name: 'push to a branch with an open merge request (the MR pipeline runs instead)',
      context: { source: 'push', branch: 'feature/a', variables: { CI_OPEN_MERGE_REQUESTS: 'acme/web!1' } },
      created: false,
    },
    {
      name: 'schedule on a branch with an open merge request',
      context: { source: 'schedule', branch: 'feature/a', variables: { CI_OPEN_MERGE_REQUESTS: 'acme/web!1' } },
      created: true,
    },
    { name: 'tag', context: { source: 'push', tag: 'v1.2.0' }, created: true },
    { name: 'schedule', context: { source: 'schedule', branch: 'main' }, created: true },
    { name: 'web (Run pipeline)', context: { source: 'web', branch: 'main' }, created: true },
    { name: 'api', context: { source: 'api', branch: 'main' }, created: true },
    { name: 'trigger', context: { source: 'trigger', branch: 'main' }, created: true },
  ];
  it.each(workflowCases)('workflow: $name → created $created', async ({ context, created }) => {
    const pipeline = await resolveWithOurEngine(includingConfig(component), context);
    expect(pipeline.created, pipeline.resolved.reason).toBe(created);
    if (created) expect(pipeline.jobs.map((job) => job.name)).toEqual(['policy:compose', 'policy:pre', 'policy:pipeline']);
  });

  const badInputs: readonly { name: string; inputs: Record<string, string | boolean | null>; message: RegExp }[] = [
    { name: 'a quote in policy_projects', inputs: { policy_projects: "a/b'; rm -rf /" }, message: /policy_projects.*regex/i },
    { name: 'an unknown log level', inputs: { log_level: 'loud' }, message: /log_level.*options/ },
    { name: 'fail_open as text', inputs: { fail_open: 'maybe' }, message: /fail_open.*boolean/ },
    { name: 'a quote in templates', inputs: { templates: "project:a/b'; rm -rf /" }, message: /templates.*regex/i },
    { name: 'templates as a folder of the checkout (the project could weaken its scans)', inputs: { templates: 'ci/scans' }, message: /templates.*regex/i },
    { name: 'ci_templates as a folder of the checkout (the project would choose what policies include)', inputs: { ci_templates: 'ci/templates' }, message: /ci_templates.*regex/i },
    { name: 'a quote in ci_templates', inputs: { ci_templates: "/opt/t'; rm -rf /" }, message: /ci_templates.*regex/i },
    { name: 'an unknown input', inputs: { policy_project: 'a/b' }, message: /unknown input arguments: policy_project/ },
    { name: 'gitlab_url left out (required: CI_SERVER_URL is a variable)', inputs: { gitlab_url: null }, message: /gitlab_url/ },
    { name: 'gitlab_url with a quote', inputs: { gitlab_url: "https://gitlab.example.com'; id" }, message: /gitlab_url.*regex/i },
    { name: 'cli as a relative path (PATH is the project\'s)', inputs: { cli: 'policy-sidecar' }, message: /cli.*regex/i },
    { name: 'cache_dir in the checkout (relative)', inputs: { cache_dir: '.cache' }, message: /cache_dir.*regex/i },
    { name: 'ca_file in the checkout (relative)', inputs: { ca_file: 'certs/ca.pem' }, message: /ca_file.*regex/i },
  ];
  it.each(badInputs)('rejects $name before any script could see it', async ({ inputs, message }) => {
    await expect(resolveWithOurEngine(includingConfig(component, inputs), { source: 'push', branch: 'main' })).rejects.toThrow(message);
  });
});

describe('the two components', () => {
  it('hold the same jobs; only the default config_path and the comments differ', async () => {
    const same = { config_path: 'ci/project.yml' };
    const enforced = await resolveWithOurEngine(includingConfig('policy-sidecar', same), { source: 'push', branch: 'main' });
    const optIn = await resolveWithOurEngine(includingConfig('policy-sidecar-opt-in', same), { source: 'push', branch: 'main' });
    const shape = (job: (typeof enforced.resolved.jobs)[number]) => ({ ...job, location: undefined, decision: undefined });
    expect(optIn.resolved.jobs.map(shape)).toEqual(enforced.resolved.jobs.map(shape));
    expect(scriptOf(jobNamed(enforced, 'policy:compose'))[0]).toContain("config_path='ci/project.yml'");
  });

  it('default to the image of this release', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const component of COMPONENTS) {
      const text = await readFile(join(repoRoot, 'templates', `${component}.yml`), 'utf8');
      const header = parse(text.split(/^---$/m)[0] ?? '') as { spec: { inputs: { image: { default: string } } } };
      expect(header.spec.inputs.image.default, component).toBe(`registry.gitlab.com/policy-sidecar/policy-sidecar:${version}`);
    }
  });
});

describe.each(COMPONENTS)('component %s, read by gitlab-ci-local', (component: ComponentName) => {
  it('passes GitLab CI JSON schema validation with both jobs, their stages, needs, trigger and artifacts', async () => {
    const inputs = { policy_projects: 'security/policies,acme/policies', fail_open: true, log_level: 'debug', templates: 'project:platform/scan-templates@v2:scans' };
    const { listed: all, expanded } = await resolveWithGitlabCiLocal(includingConfig(component, inputs));
    // gitlab-ci-local lists a job its rules leave out with `when: never`: policy:evaluate, off by default.
    expect(all.filter((job) => job.when === 'never').map((job) => job.name)).toEqual(['policy:evaluate']);
    const listed = all.filter((job) => job.when !== 'never');
    expect(listed.map((job) => [job.name, job.stage, job.when])).toEqual([
      ['policy:compose', '.pre', 'on_success'],
      ['policy:pre', 'test', 'on_success'],
      ['policy:pipeline', 'test', 'on_success'],
    ]);
    expect(listed[1]?.needs).toEqual(['policy:compose']);
    expect(listed[2]?.needs).toEqual(['policy:compose', 'policy:pre']);
    const compose = expanded['policy:compose'];
    const trigger = expanded['policy:pipeline'];
    if (!isRecord(compose) || !isRecord(trigger)) throw new Error('jobs missing from the expanded configuration');
    expect(compose['artifacts']).toEqual(expectedArtifacts);
    expect(compose['image']).toEqual({ name: 'registry.gitlab.com/policy-sidecar/policy-sidecar:0.1.0', entrypoint: [''] });
    expect(String(compose['script'])).toContain("policy_projects='security/policies,acme/policies'");
    expect(String(compose['script'])).toContain(`--gitlab-url '${GITLAB_URL}'`);
    expect(String(compose['script'])).toContain("--log-level 'debug'");
    expect(String(compose['script'])).toContain("--templates 'project:platform/scan-templates@v2:scans'");
    expect(trigger['trigger']).toEqual(expectedTrigger);
    expect(isRecord(expanded['policy:pre']) ? expanded['policy:pre']['trigger'] : undefined).toEqual(expectedPreTrigger);
  });
});

describe('gitlab-ci-local as a schema check', () => {
  it('rejects a component whose trigger breaks the schema (so a pass above means something)', async () => {
    const text = await readFile(join(repoRoot, 'templates', 'policy-sidecar.yml'), 'utf8');
    const broken = text.replaceAll('strategy: depend', 'strategy: sometimes');
    expect(broken).not.toBe(text);
    await expect(resolveWithGitlabCiLocal(includingConfig('policy-sidecar'), { 'policy-sidecar.yml': broken })).rejects.toThrow(/strategy/);
  });
});
