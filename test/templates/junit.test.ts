/**
 * The JUnit report the compose job hands to GitLab's merge request widget: exact output per case.
 * (Kept beside the templates whose `artifacts:reports:junit` carries it.)
 */
import { describe, expect, it } from 'vitest';
import { emitJunit, emitJunitForFailure, escapeXml } from '../../src/emit/junit.js';
import type { PipelineReport } from '../../src/emit/report.js';

type ReportPolicy = PipelineReport['policies'][number];

function reportWith(policies: readonly ReportPolicy[], policyFailure: PipelineReport['policyFailure'] = null): PipelineReport {
  return {
    version: 1,
    project: 'acme/web',
    configPath: '.gitlab-ci.yml',
    pipelineSource: 'merge_request_event',
    ref: 'feature/checkout',
    created: true,
    reason: 'workflow rule 1 matched',
    name: null,
    policyFailure,
    policies,
    stages: ['build'],
    jobs: [],
    excludedJobs: [],
    droppedPolicyJobs: [],
    files: [],
  };
}

const pep = (index: number, name: string, applied: boolean, reason: string): ReportPolicy => ({
  name,
  type: 'pipeline_execution_policy',
  policyProject: 'security/policies',
  index,
  applied,
  reason,
});

const head = (totals: string): string =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="policy-sidecar" ${totals}>`,
    `  <testsuite name="policy-sidecar" ${totals}>`,
    '    <properties>',
    '      <property name="project" value="acme/web"/>',
    '      <property name="ref" value="feature/checkout"/>',
    '      <property name="pipeline_source" value="merge_request_event"/>',
    '      <property name="config_path" value=".gitlab-ci.yml"/>',
    '    </properties>',
  ].join('\n');
const tail = '  </testsuite>\n</testsuites>\n';

const cases: readonly { name: string; report: PipelineReport; expected: string }[] = [
  {
    name: 'no-policies-an-empty-suite',
    report: reportWith([]),
    expected: `${head('tests="0" failures="0" errors="0" skipped="0"')}\n${tail}`,
  },
  {
    name: 'applied-passes-not-applied-is-skipped-with-its-reason',
    report: reportWith([
      pep(0, 'Supply-chain checks', true, 'in scope: ancestor group 10 is in policy_scope.groups.including'),
      pep(2, 'Locked-down pipeline', false, 'out of scope: project 101 is not in policy_scope.projects.including'),
    ]),
    expected: `${head('tests="2" failures="0" errors="0" skipped="1"')}
    <testcase classname="security/policies" name="Supply-chain checks (pipeline_execution_policy #0)">
      <system-out>applied: in scope: ancestor group 10 is in policy_scope.groups.including</system-out>
    </testcase>
    <testcase classname="security/policies" name="Locked-down pipeline (pipeline_execution_policy #2)">
      <skipped message="not applied: out of scope: project 101 is not in policy_scope.projects.including">not applied: out of scope: project 101 is not in policy_scope.projects.including</skipped>
      <system-out>not applied: out of scope: project 101 is not in policy_scope.projects.including</system-out>
    </testcase>
${tail}`,
  },
  {
    name: 'fail-open-is-one-failure-with-the-error-code',
    report: reportWith([], { code: 'policy-invalid', message: 'policy.yml:3:5: must be boolean' }),
    expected: `${head('tests="1" failures="1" errors="0" skipped="0"')}
    <testcase classname="policy-sidecar" name="policies were read and valid">
      <failure message="composed WITHOUT policies (--fail-open): policy.yml:3:5: must be boolean" type="policy-invalid">composed WITHOUT policies (--fail-open): policy.yml:3:5: must be boolean</failure>
      <system-out>composed WITHOUT policies (--fail-open): policy.yml:3:5: must be boolean</system-out>
    </testcase>
${tail}`,
  },
  {
    name: 'names-and-reasons-are-escaped',
    report: reportWith([pep(1, 'Block <script> & "quotes" \'too\'', false, 'branch did not match:\nfeature/*\u0007')]),
    expected: `${head('tests="1" failures="0" errors="0" skipped="1"')}
    <testcase classname="security/policies" name="Block &lt;script&gt; &amp; &quot;quotes&quot; &apos;too&apos; (pipeline_execution_policy #1)">
      <skipped message="not applied: branch did not match:&#10;feature/*\uFFFD">not applied: branch did not match:&#10;feature/*\uFFFD</skipped>
      <system-out>not applied: branch did not match:&#10;feature/*\uFFFD</system-out>
    </testcase>
${tail}`,
  },
];

describe('emitJunit', () => {
  it.each(cases)('$name', ({ report, expected }) => {
    expect(emitJunit(report)).toBe(expected);
  });

  it('gives the same bytes for the same report', () => {
    const report = cases[1]?.report ?? reportWith([]);
    expect(emitJunit(structuredClone(report))).toBe(emitJunit(report));
  });
});

describe('emitJunitForFailure', () => {
  it('is one error case with the code and the message', () => {
    const xml = emitJunitForFailure({ project: 'acme/web', code: 'policy-schema', message: 'policy.yml:4:7: "enabled" must be boolean' });
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="policy-sidecar" tests="1" failures="0" errors="1" skipped="0">
  <testsuite name="policy-sidecar" tests="1" failures="0" errors="1" skipped="0">
    <properties>
      <property name="project" value="acme/web"/>
    </properties>
    <testcase classname="policy-sidecar" name="pipeline composed with its policies">
      <error message="policy.yml:4:7: &quot;enabled&quot; must be boolean" type="policy-schema">policy.yml:4:7: &quot;enabled&quot; must be boolean</error>
    </testcase>
  </testsuite>
</testsuites>
`);
  });
});

describe('escapeXml', () => {
  it.each([
    ['plain text', 'plain text'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['tab\there\r\n', 'tab&#9;here&#13;&#10;'],
    ['nul\u0000 bell\u0007 esc\u001b', 'nul\uFFFD bell\uFFFD esc\uFFFD'],
    ['lone \uD800 surrogate, pair \uD83D\uDE00 kept', 'lone \uFFFD surrogate, pair \uD83D\uDE00 kept'],
    ['non-characters \uFFFE\uFFFF', 'non-characters \uFFFD\uFFFD'],
  ])('%j', (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });
});
