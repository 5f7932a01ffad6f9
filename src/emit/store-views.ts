/**
 * What `policies`, `projects` and `coverage` print for people: aligned tables and short
 * sections. JSON output is the records themselves (the commands write it), so scripts never
 * parse these.
 */
import type { ApprovalVerdict } from '../store/approval-records.js';
import type { CoverageRow } from '../store/coverage-reads.js';
import type { PolicyRecord, PolicyVersionRecord } from '../store/policy-reads.js';
import { COMPOSED_POLICY_TYPES, type AppliedPolicy, type PipelineSummary, type ProjectView } from '../store/project-reads.js';

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function renderPolicyList(policies: readonly PolicyRecord[]): string {
  return renderTable(
    ['ID', 'TYPE', 'NAME', 'POLICY PROJECT', 'VERSION', 'ENABLED', 'PROJECTS'],
    policies.map((policy) => [
      policy.id,
      policy.type,
      policy.name,
      policy.policyProject,
      policy.currentVersion === null ? 'removed' : `v${policy.currentVersion}`,
      policy.enabled ? 'yes' : 'no',
      String(policy.projects),
    ]),
  );
}

export function renderPolicy(policy: PolicyRecord, current: PolicyVersionRecord | undefined): string {
  const lines = [
    `${policy.name} (${policy.id})`,
    `  type:            ${policy.type}`,
    `  policy project:  ${policy.policyProject} (position ${policy.position})`,
    `  enabled:         ${policy.enabled ? 'yes' : 'no'}`,
    `  scope:           ${policy.scope === null ? 'every project' : JSON.stringify(policy.scope)}`,
    `  version:         ${current === undefined ? 'none current (removed from its policy file)' : `v${current.number} ${current.digest.slice(0, 12)} (commit ${current.commitSha.slice(0, 40)})`}`,
    `  applies to:      ${policy.projects} project(s)`,
  ];
  if (current !== undefined) {
    for (const file of current.files) lines.push(`  includes:        ${file.project}:${file.path}${file.ref === null ? '' : `@${file.ref}`}`);
    lines.push('', current.yaml.trimEnd());
  }
  return lines.join('\n') + '\n';
}

export function renderHistory(versions: readonly PolicyVersionRecord[]): string {
  return renderTable(
    ['VERSION', 'DIGEST', 'COMMIT', 'FIRST SEEN', 'LAST SEEN'],
    versions.map((version) => [`v${version.number}`, version.digest.slice(0, 12), version.commitSha.split(' ')[0]?.slice(0, 12) ?? '', version.firstSeen, version.lastSeen]),
  );
}

export function renderProject(view: ProjectView): string {
  const enforced = view.enforced === null ? 'unknown (sync without --central-config)' : view.enforced ? `yes (${view.ciConfigPath ?? ''})` : `no (${view.ciConfigPath ?? '.gitlab-ci.yml'})`;
  const last = view.lastPipeline;
  const lines = [
    `${view.path} (id ${view.gitlabId})`,
    `  enforced:       ${enforced}`,
    `  compliant:      ${view.compliant ? 'yes' : 'no'}: ${view.why}`,
    `  last pipeline:  ${last === null ? 'none recorded' : `${last.pipelineId} ${last.source} on ${last.ref} (${last.result}${last.verdict === null ? '' : `, verdict ${last.verdict}`}) at ${last.recordedAt}`}`,
    `  last approval:  ${view.lastApproval === null ? 'none recorded' : describeApproval(view.lastApproval)}`,
    '',
  ];
  return (
    lines.join('\n') +
    '\n' +
    renderTable(
      ['POLICY', 'TYPE', 'VERSION', 'RAN IN LAST PIPELINE', 'WHY IT APPLIES'],
      view.policies.map((policy) => [
        policy.name,
        policy.type,
        `v${policy.version}`,
        ranInLast(policy, last),
        policy.reason,
      ]),
    )
  );
}

/** `pipeline 12, !3 into main: violated (exit 1, gate: approval rules) at ...`; the gate is GitLab's approval rules, else the job's exit code. */
function describeApproval(verdict: ApprovalVerdict): string {
  const mergeRequest = verdict.mergeRequestIid === null ? '' : `!${verdict.mergeRequestIid} `;
  const gate = verdict.enforcement === 'approval-rules' ? 'approval rules' : 'exit code';
  return `pipeline ${verdict.pipelineId}, ${mergeRequest}into ${verdict.targetBranch}: ${verdict.result} (exit ${verdict.exitCode}, gate: ${gate}) at ${verdict.evaluatedAt}`;
}

/** Composed policies: applied or not. Approval policies: what evaluate decided in that pipeline, when it recorded a verdict. */
function ranInLast(policy: AppliedPolicy, last: PipelineSummary | null): string {
  if (last === null) return '-';
  if (COMPOSED_POLICY_TYPES.includes(policy.type)) return last.policies.some((ran) => ran.applied && ran.policyId === policy.policyId && ran.digest === policy.digest) ? 'yes' : 'no';
  if (last.approval === null) return '-';
  const evaluated = last.approval.policies.find((candidate) => candidate.policyId === policy.policyId && candidate.digest === policy.digest);
  if (evaluated === undefined) return 'no';
  return evaluated.violated ? 'violated' : evaluated.applied ? 'passed' : 'not applied';
}

export function renderCoverage(policy: PolicyRecord, version: number, rows: readonly CoverageRow[]): string {
  const count = (status: CoverageRow['status']): number => rows.filter((row) => row.status === status).length;
  const summary = `${policy.name} v${version}: ${rows.length} project(s); ran ${count('ran')}, did not run ${count('not-run')}, not enforced ${count('not-enforced')}\n\n`;
  return summary + renderTable(['PROJECT', 'STATUS', 'PIPELINE', 'RECORDED'], rows.map((row) => [row.projectPath, row.status, row.pipelineId === null ? '-' : String(row.pipelineId), row.recordedAt ?? '-']));
}
