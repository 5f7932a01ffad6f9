import { describe, expect, it } from 'vitest';
import { maskerFor, maskerForRun } from '../../src/cli/masking.js';
import { maskReport } from '../../src/emit/mask-report.js';
import type { PipelineReport } from '../../src/emit/report.js';
import { maskableValues } from '../../src/log/masked-values.js';

describe('which values are masked', () => {
  it('values GitLab could mask: one line, no spaces, 8 characters or more', () => {
    expect(maskableValues({ A: 'short', B: 'exactly8', C: 'has a space here', D: 'two\nlines!', E: 'glpat-abc_DEF.123~@:+/=' })).toEqual(['exactly8', 'glpat-abc_DEF.123~@:+/=']);
  });

  it('in a GitLab CI job, the variables from outside the YAML and --var; never GitLab predefined or our own ones', () => {
    const mask = maskerFor({ CI: 'true', GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'feature/long-name', DEPLOY_KEY: 'k3y-value-000', PATH: '/usr/local/bin:/usr/bin' }, ['EXTRA=extra-value-1', 'CI_COMMIT_MESSAGE=wip-message-1', 'POLICY_SIDECAR_SCHEDULED_SCAN=sec/policies:1:1']);
    expect(mask('feature/long-name k3y-value-000 /usr/local/bin:/usr/bin extra-value-1 wip-message-1 sec/policies:1:1')).toBe('feature/long-name [MASKED] /usr/local/bin:/usr/bin [MASKED] wip-message-1 sec/policies:1:1');
  });

  it('outside GitLab CI, only --var values (a shell or GitHub Actions environment is not GitLab variables)', () => {
    const mask = maskerFor({ CI: 'true', GITHUB_ACTIONS: 'true', INPUT_PROJECT: 'security/missing' }, ['TOKEN=t0ken-value-1']);
    expect(mask('security/missing t0ken-value-1 t0ken-value-1')).toBe('security/missing [MASKED] [MASKED]');
  });

  it('with --job, the job\'s variables from --job-env-file, whatever GITLAB_CI says; not the clean process environment', () => {
    const mask = maskerForRun(
      { env: { CI: 'true', POLICY_SIDECAR_TOKEN: 'glpat-settings-token' }, jobVariables: { GITLAB_CI: 'false', CI_COMMIT_BRANCH: 'feature/long-name', DEPLOY_KEY: 'k3y-value-000', POLICY_SIDECAR_SCHEDULED_SCAN: 'sec/policies:1:1' } },
      ['EXTRA=extra-value-1'],
    );
    expect(mask('feature/long-name k3y-value-000 extra-value-1 sec/policies:1:1 glpat-settings-token')).toBe('feature/long-name [MASKED] [MASKED] sec/policies:1:1 glpat-settings-token');
  });

  it('without --job, as maskerFor: the process environment of a GitLab CI job', () => {
    const mask = maskerForRun({ env: { GITLAB_CI: 'true', DEPLOY_KEY: 'k3y-value-000' } }, []);
    expect(mask('k3y-value-000')).toBe('[MASKED]');
  });

  it('also the URL-encoded and JSON-escaped spellings', () => {
    const mask = maskerFor({}, ['P=a/b"c d-e', 'Q=a/b"cd-ef']);
    expect(mask(`${encodeURIComponent('a/b"cd-ef')} ${JSON.stringify('a/b"cd-ef')}`)).toBe('[MASKED] "[MASKED]"');
  });
});

describe('maskReport', () => {
  const report = {
    version: 1, project: 'acme/web', configPath: '.gitlab-ci.yml', pipelineSource: 'push', ref: 'main', created: true,
    reason: 'workflow rule 1 ($X) matched', name: 'Release production-9', policyFailure: null,
    policies: [{ name: 'production-9 checks', type: 'pipeline_execution_policy', policyProject: 'sec/p', index: 0, applied: true, reason: 'production-9 is in scope' }],
    stages: ['build', 'production-9'],
    jobs: [{ name: 'deploy-production-9', originalName: 'deploy-production-9', origin: 'policy', policy: 'production-9 checks', policyProject: 'sec/p', stage: 'production-9', declaredStage: 'production-9', when: 'on_success', decidedBy: 'rules:exists production-9/**', definedAt: 'ci/production-9.yml:3:1' }],
    excludedJobs: [], droppedPolicyJobs: [], files: [{ kind: 'local', location: 'ci/production-9.yml' }],
  } as unknown as PipelineReport; // a literal of the report's shape; only its strings matter here
  const masked = maskReport(report, (text) => text.replaceAll('production-9', '[MASKED]'));

  it('masks reasons, rule texts, locations and the workflow name', () => {
    expect(masked).toMatchObject({ name: 'Release [MASKED]', reason: report.reason, files: [{ location: 'ci/[MASKED].yml' }] });
    expect(masked.jobs[0]).toMatchObject({ decidedBy: 'rules:exists [MASKED]/**', definedAt: 'ci/[MASKED].yml:3:1' });
    expect(masked.policies[0]?.reason).toBe('[MASKED] is in scope');
  });

  it('keeps the names of jobs, stages and policies, which serve reads back', () => {
    expect(masked.jobs[0]).toMatchObject({ name: 'deploy-production-9', stage: 'production-9', policy: 'production-9 checks' });
    expect(masked.stages).toEqual(['build', 'production-9']);
    expect(masked.policies[0]?.name).toBe('production-9 checks');
  });
});
