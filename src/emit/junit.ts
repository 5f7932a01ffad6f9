/**
 * The JUnit report (SPEC §2): one test case per policy, so the merge request widget and the
 * pipeline's Tests tab show which policies applied. GitLab's parser
 * (lib/gitlab/ci/parsers/test/junit.rb; docs "ci/testing/unit_test_reports") shows the *text* of
 * a `failure`, `error` or `skipped` element as the case's details and nothing for a passed case;
 * so a policy that did not apply is `skipped` with its reason as text (and as system-out, for
 * other viewers), an applied one passes with its reason as system-out, and policies that could
 * not be read under --fail-open are one `failure`. A policy that applied but whose jobs all
 * dropped out by rules is `skipped` too ("applied, no jobs" and the rules), never passed. No times or host names: the same report gives
 * the same bytes.
 */
import { outcomeOf } from './explain.js';
import type { PipelineReport } from './report.js';

const SUITE = 'policy-sidecar';

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: { readonly kind: 'passed' } | { readonly kind: 'skipped' | 'failure'; readonly message: string; readonly type?: string };
  readonly systemOut: string;
}

export function emitJunit(report: PipelineReport): string {
  const cases = testCasesOf(report);
  const count = (kind: TestCase['outcome']['kind']): number => cases.filter((testCase) => testCase.outcome.kind === kind).length;
  const totals = `tests="${cases.length}" failures="${count('failure')}" errors="0" skipped="${count('skipped')}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE}" ${totals}>`,
    `  <testsuite name="${SUITE}" ${totals}>`,
    '    <properties>',
    property('project', report.project),
    property('ref', report.ref),
    property('pipeline_source', report.pipelineSource),
    property('config_path', report.configPath),
    '    </properties>',
    ...cases.flatMap(renderTestCase),
    '  </testsuite>',
    '</testsuites>',
  ];
  return lines.join('\n') + '\n';
}

/**
 * For a compose that failed before any report existed (fail closed): one `error` case with the
 * error's code and message, so the merge request says why no pipeline ran.
 */
export function emitJunitForFailure(failure: { readonly project: string; readonly code: string; readonly message: string }): string {
  const totals = 'tests="1" failures="0" errors="1" skipped="0"';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE}" ${totals}>`,
    `  <testsuite name="${SUITE}" ${totals}>`,
    '    <properties>',
    property('project', failure.project),
    '    </properties>',
    `    <testcase classname="${SUITE}" name="pipeline composed with its policies">`,
    `      <error message="${escapeXml(failure.message)}" type="${escapeXml(failure.code)}">${escapeXml(failure.message)}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCasesOf(report: PipelineReport): TestCase[] {
  const cases: TestCase[] = report.policies.map((policy) => {
    const name = `${policy.name} (${policy.type} #${policy.index})`;
    const outcome = outcomeOf(policy);
    if (outcome === 'applied') return { classname: policy.policyProject, name, outcome: { kind: 'passed' }, systemOut: `applied: ${policy.reason}` };
    if (outcome === 'applied-no-jobs') {
      // Not "passed": none of its jobs runs here. Skipped with the rules that dropped them.
      const message = `applied, no jobs: ${policy.reason}; ${(policy.droppedBy ?? []).join('; ')}`;
      return { classname: policy.policyProject, name, outcome: { kind: 'skipped', message }, systemOut: message };
    }
    return {
      classname: policy.policyProject,
      name,
      outcome: { kind: 'skipped', message: `not applied: ${policy.reason}` },
      systemOut: `not applied: ${policy.reason}`,
    };
  });
  if (report.policyFailure !== null) {
    const message = `composed WITHOUT policies (--fail-open): ${report.policyFailure.message}`;
    cases.push({
      classname: SUITE,
      name: 'policies were read and valid',
      outcome: { kind: 'failure', message, type: report.policyFailure.code },
      systemOut: message,
    });
  }
  return cases;
}

function renderTestCase(testCase: TestCase): string[] {
  const lines = [`    <testcase classname="${escapeXml(testCase.classname)}" name="${escapeXml(testCase.name)}">`];
  const { outcome } = testCase;
  if (outcome.kind !== 'passed') {
    const type = outcome.type === undefined ? '' : ` type="${escapeXml(outcome.type)}"`;
    lines.push(`      <${outcome.kind} message="${escapeXml(outcome.message)}"${type}>${escapeXml(outcome.message)}</${outcome.kind}>`);
  }
  lines.push(`      <system-out>${escapeXml(testCase.systemOut)}</system-out>`, '    </testcase>');
  return lines;
}

function property(name: string, value: string): string {
  return `      <property name="${name}" value="${escapeXml(value)}"/>`;
}

/**
 * Text safe in XML 1.0 element content and in double- or single-quoted attributes. Characters
 * XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD;
 * tab, newline and carriage return in attributes become character references so parsers keep them.
 */
export function escapeXml(text: string): string {
  let escaped = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '&') escaped += '&amp;';
    else if (char === '<') escaped += '&lt;';
    else if (char === '>') escaped += '&gt;';
    else if (char === '"') escaped += '&quot;';
    else if (char === "'") escaped += '&apos;';
    else if (char === '\t' || char === '\n' || char === '\r') escaped += `&#${code};`;
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) escaped += '\uFFFD';
    else escaped += char;
  }
  return escaped;
}
