/**
 * The scheduled audit component (templates/policy-sidecar-audit.yml), included as users include
 * it and read by gitlab-ci-local, which validates the expanded configuration against GitLab's CI
 * JSON schema: parallel shards on schedules, the report job after them, inputs in the script.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isRecord } from '../oracle/oracle-run.js';
import { COMPONENT_PROJECT, COMPONENT_VERSION, resolveWithGitlabCiLocal } from './template-fixtures.js';

const config = stringify({
  include: [
    {
      component: `$CI_SERVER_FQDN/${COMPONENT_PROJECT}/policy-sidecar-audit@${COMPONENT_VERSION}`,
      inputs: { group: 'acme', central_config: 'pipeline.yml@platform/ci', policy_projects: 'security/policies', shards: 3 },
    },
  ],
});

describe('component policy-sidecar-audit, read by gitlab-ci-local', () => {
  it('on a schedule: three audit shards, then the report job; inputs written into the scripts', async () => {
    const { listed, expanded } = await resolveWithGitlabCiLocal(config, undefined, { CI_PIPELINE_SOURCE: 'schedule' });
    expect(listed.map((job) => [job.name, job.stage, job.when])).toEqual([
      ['policy:audit: [1/3]', 'test', 'on_success'],
      ['policy:audit: [2/3]', 'test', 'on_success'],
      ['policy:audit: [3/3]', 'test', 'on_success'],
      ['policy:audit-report', '.post', 'always'],
    ]);
    const audit = expanded['policy:audit'];
    if (!isRecord(audit)) throw new Error('policy:audit missing from the expanded configuration');
    expect(audit['parallel']).toBe(3);
    expect(String(audit['script'])).toContain("--group 'acme' --central-config 'pipeline.yml@platform/ci'");
    expect(audit['allow_failure']).toEqual({ exit_codes: [1] });
  });

  it('on a push: no job', async () => {
    const { listed } = await resolveWithGitlabCiLocal(config, undefined, { CI_PIPELINE_SOURCE: 'push' });
    expect(listed.filter((job) => job.when !== 'never')).toEqual([]);
  });
});
