/** Stage placement of scan jobs (gitlab-pep-sep.md §5.3; GitLab's processor_spec.rb stage cases). */
import { describe, expect, it } from 'vitest';
import { placeScanJobs } from '../../../src/compose/sep/index.js';
import type { ComposedJob, ScanJobOrigin } from '../../../src/compose/types.js';
import { policyFile, sep, TOP_GROUP } from '../../policies/policy-builders.js';

const loaded = policyFile(TOP_GROUP, { scan_execution_policy: [sep('Scans')] }).policies[0];

function scanJob(name: string, scan: string, stage = 'test'): ComposedJob {
  if (loaded === undefined) throw new Error('policy fixture');
  const origin: ScanJobOrigin = { kind: 'scan-policy', policy: loaded, scan, index: 0, template: `${scan}.yml`, enforced: [] };
  return { name, originalName: name, origin, stage, when: 'on_success', allowFailure: true, startIn: undefined, needs: undefined, variables: {}, definition: { script: ['x'] }, decision: 'test', location: undefined };
}

const stagesOf = (stages: readonly string[], ...scans: ComposedJob[]) => placeScanJobs(stages, [], scans).stages;

describe('placeScanJobs', () => {
  it.each([
    [['.pre', 'build', 'test', 'release', '.post'], ['.pre', 'build', 'test', 'release', '.post']],
    [['.pre', 'build', 'not-test', 'release', '.post'], ['.pre', 'build', 'scan-policies', 'not-test', 'release', '.post']],
    [['.pre', 'not-test', 'release', '.post'], ['.pre', 'scan-policies', 'not-test', 'release', '.post']],
    [['not-test', 'release'], ['scan-policies', 'not-test', 'release']],
    [['build', '.pre', 'not-test'], ['build', '.pre', 'scan-policies', 'not-test']],
  ])('non-DAST jobs in %j: stages become %j', (stages, expected) => {
    expect(stagesOf(stages, scanJob('secret-detection-0', 'secret_detection'))).toEqual(expected);
  });

  it.each([
    [['.pre', 'build', 'test', 'deploy', '.post'], ['.pre', 'build', 'test', 'deploy', 'dast', '.post']],
    [['build', 'test', 'release'], ['build', 'test', 'release', 'dast']],
    [['build', 'dast', 'deploy'], ['build', 'dast', 'deploy']],
  ])('DAST jobs in %j: stages become %j', (stages, expected) => {
    expect(stagesOf(stages, scanJob('dast-on-demand-0', 'dast', 'dast'))).toEqual(expected);
  });

  it('replaces jobs of the same name and appends the scan jobs last', () => {
    const project = [{ ...scanJob('build', 'x'), origin: { kind: 'project' as const } }, { ...scanJob('secret-detection-0', 'x'), origin: { kind: 'project' as const } }];
    const placed = placeScanJobs(['.pre', 'build', 'test', '.post'], project, [scanJob('secret-detection-0', 'secret_detection')]);
    expect(placed.replaced).toEqual(['secret-detection-0']);
    expect(placed.jobs.map((job) => [job.name, (job as ComposedJob).origin.kind])).toEqual([
      ['build', 'project'],
      ['secret-detection-0', 'scan-policy'],
    ]);
  });

  it('a template job in a stage the pipeline lacks is a policy error', () => {
    expect(() => placeScanJobs(['.pre', 'test', '.post'], [], [scanJob('odd-0', 'sast', 'lint')])).toThrow(/chosen stage lint does not exist/);
  });
});
