/**
 * `evaluate` on large reports: a merge request pipeline with 10,000 SAST findings against a target
 * branch with 10,000 (half of them shared, so 5,000 new), 3,000 dependency-scanning findings on
 * each side (2,000 shared) and SBOMs of 3,000 components (2,500 shared). Timed in-process
 * (readReports of both sides + evaluateApprovalPolicies with the example approval policies plus
 * an allowlist license_finding policy) next to the floor (JSON.parse + JSON.stringify of the same
 * texts), and as one whole CLI run on the same files.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse, stringify } from 'yaml';
import { evaluateApprovalPolicies, type ApprovalEvaluation } from '../src/gating/approvals/evaluate-approval-policies.js';
import { approvalPoliciesOf } from '../src/gating/approvals/map-approval-policy.js';
import type { ReportSet } from '../src/gating/findings-model.js';
import { readReports, type ReportFile } from '../src/gating/reports/index.js';
import { loadPolicyFiles } from '../src/policies/load-policies.js';
import { openWorkspace } from '../src/sources/workspace/workspace-source.js';
import { mebibytes, printRows, timeRounds } from './measure.js';
import { generateDependencyReport, generateSastReport, generateSbom } from './reports-generate.js';

const SAST = 10_000;
const DEPENDENCIES = 3_000;
const COMPONENTS = 3_000;
const PROJECT = 'bench/project';
const PROJECT_ID = 101;
const EXAMPLE_POLICIES = fileURLToPath(new URL('../examples/workspace/security/policies', import.meta.url));

/** `count` items for the target and `count` for the source, the source starting `shift` items later. */
function split(text: string, key: 'vulnerabilities' | 'components', count: number, shift: number): { target: string; source: string } {
  const document = JSON.parse(text) as Record<string, unknown>;
  const items = document[key];
  if (!Array.isArray(items) || items.length < count + shift) throw new Error(`bench: generated report has too few ${key}`);
  return {
    target: JSON.stringify({ ...document, [key]: items.slice(0, count) }),
    source: JSON.stringify({ ...document, [key]: items.slice(shift, shift + count) }),
  };
}

/** The generators draw per item in order, so a longer report starts with the shorter one: slices overlap exactly. */
function reportSides(): { source: ReportFile[]; target: ReportFile[] } {
  const sast = split(generateSastReport(SAST * 1.5, 6001), 'vulnerabilities', SAST, SAST / 2);
  const dependencies = split(generateDependencyReport(DEPENDENCIES + 1_000, 6002), 'vulnerabilities', DEPENDENCIES, 1_000);
  const sbom = split(generateSbom(COMPONENTS + 500, 6003), 'components', COMPONENTS, 500);
  const side = (which: 'source' | 'target'): ReportFile[] => [
    { name: 'gl-sast-report.json', text: sast[which] },
    { name: 'gl-dependency-scanning-report.json', text: dependencies[which] },
    { name: 'gl-sbom-npm-npm.cdx.json', text: sbom[which] },
  ];
  return { source: side('source'), target: side('target') };
}

/** The example policy project, its policy file with one more approval policy: a licence allowlist. */
function writeWorkspace(root: string): void {
  const policiesDir = join(root, 'security', 'policies');
  cpSync(EXAMPLE_POLICIES, policiesDir, { recursive: true });
  const policyPath = join(policiesDir, '.gitlab', 'security-policies', 'policy.yml');
  const policy = parse(readFileSync(policyPath, 'utf8')) as { approval_policy?: unknown[] };
  policy.approval_policy = [
    ...(policy.approval_policy ?? []),
    {
      name: 'Permissive licences only',
      description: 'Any licence outside the allowlist, on new or existing dependencies, needs legal approval.',
      enabled: true,
      rules: [
        {
          type: 'license_finding',
          branches: ['main'],
          match_on_inclusion_license: false,
          license_types: ['MIT License', 'Apache License 2.0', 'ISC License', 'BSD 3-Clause "New" or "Revised" License'],
          license_states: ['newly_detected', 'detected'],
        },
      ],
      actions: [{ type: 'require_approval', approvals_required: 1, group_approvers: ['legal'] }],
    },
  ];
  writeFileSync(policyPath, stringify(policy));
  mkdirSync(join(root, PROJECT), { recursive: true });
  const project = { default_branch: 'main', protected_branches: ['main'], compliance_frameworks: [3], groups: [10] };
  writeFileSync(
    join(root, 'workspace.yml'),
    stringify({ projects: { [PROJECT]: { id: PROJECT_ID, ...project }, 'security/policies': { id: 900, ...project, compliance_frameworks: [], groups: [20] } } }),
  );
}

function writeReports(dir: string, files: readonly ReportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.name), file.text);
}

/** A full, synchronous GC (V8's gc() exposed at run time), so heap numbers compare live objects. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
}

export async function benchEvaluateReports(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'policy-sidecar-bench-evaluate-'));
  try {
    await run(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Writes the workspace and both sides' reports under `root`: the CLI arguments of one
 * `evaluate` run on them (after the CLI path), and the report files (for a JSON.parse floor).
 */
export function prepareEvaluateWorkspace(root: string): { source: ReportFile[]; target: ReportFile[]; args: string[]; reportPaths: string[] } {
  const { source, target } = reportSides();
  writeWorkspace(root);
  writeReports(join(root, 'reports', 'mr'), source);
  writeReports(join(root, 'reports', 'main'), target);
  const args = [
    'evaluate', '--workspace', root, '--project', PROJECT, '--policy-project', 'security/policies', '--mr-target', 'main',
    '--reports', join(root, 'reports', 'mr'), '--target-reports', join(root, 'reports', 'main'), '--report', join(root, 'approval.json'),
  ];
  const reportPaths = [...source.map((file) => join(root, 'reports', 'mr', file.name)), ...target.map((file) => join(root, 'reports', 'main', file.name))];
  return { source, target, args, reportPaths };
}

async function run(root: string): Promise<void> {
  const { source, target, args } = prepareEvaluateWorkspace(root);
  const all = [...source, ...target];
  const totalBytes = all.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);

  const workspace = await openWorkspace(root);
  const policyFiles = await loadPolicyFiles(workspace, [{ path: 'security/policies', id: 900 }]);
  const policies = approvalPoliciesOf(policyFiles.flatMap((file) => file.policies));

  const floorMs = await timeRounds(() => {
    for (const file of all) JSON.stringify(JSON.parse(file.text));
  });

  const now = new Date('2025-03-04T12:00:00Z');
  const judge = (sides: { source: ReportSet; target: ReportSet }): ApprovalEvaluation =>
    evaluateApprovalPolicies({
      policies,
      subject: { projectId: PROJECT_ID, groupIds: [10], complianceFrameworks: [3] },
      projectPath: PROJECT,
      targetBranch: 'main',
      protectedBranches: ['main'],
      defaultBranch: 'main',
      source: sides.source,
      target: sides.target,
      now,
    });
  const readBoth = (): { source: ReportSet; target: ReportSet } => ({
    source: readReports(source, { projectId: PROJECT_ID }),
    target: readReports(target, { projectId: PROJECT_ID }),
  });
  const readMs = await timeRounds(readBoth, 10);
  const sides = readBoth();
  const judgeMs = await timeRounds(() => judge(sides), 10);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const oursMs = await timeRounds(() => {
    judge(readBoth());
    heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
  }, 10);

  // What one evaluation keeps alive (both ReportSets and the verdict), measured between full GCs.
  collectGarbage();
  const retainedBefore = process.memoryUsage().heapUsed;
  const kept = { sides: readBoth(), evaluation: undefined as ApprovalEvaluation | undefined };
  kept.evaluation = judge(kept.sides);
  collectGarbage();
  const retained = process.memoryUsage().heapUsed - retainedBefore;
  const evaluation = kept.evaluation;

  const targetIds = new Set(sides.target.findings.map((finding) => finding.id));
  const shared = sides.source.findings.filter((finding) => targetIds.has(finding.id)).length;
  const violated = evaluation.policies
    .filter((policy) => policy.violated)
    .map((policy) => `${policy.name} (${policy.findings.length} findings, ${policy.rules.reduce((sum, rule) => sum + rule.check.licenses.length, 0)} licences)`);

  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const cliArgs = [cli, ...args];
  let exitCode = 0;
  const cliMs = await timeRounds(() => {
    try {
      execFileSync(process.execPath, cliArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
      exitCode = 0;
    } catch (error) {
      // Exit 1 is the verdict (a blocking policy is violated), not a failure of the run.
      exitCode = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : -1;
      if (exitCode !== 1) throw error;
    }
  }, 3);

  const rows: [string, string][] = [
    [
      'reports (source / target)',
      `${sides.source.findings.length} / ${sides.target.findings.length} findings (${shared} shared), ${sides.source.components.length} / ${sides.target.components.length} components, ${mebibytes(totalBytes)}`,
    ],
    ['floor: JSON.parse + stringify', `${floorMs.toFixed(1)} ms (6 files)`],
    ['readReports, both sides', `${readMs.toFixed(1)} ms (${(readMs / floorMs).toFixed(1)}x floor)`],
    ['evaluateApprovalPolicies alone', `${judgeMs.toFixed(1)} ms, ${policies.length} approval policies`],
    ['readReports + evaluate (in-process)', `${oursMs.toFixed(1)} ms (${(oursMs / floorMs).toFixed(1)}x floor)`],
    ['violated', violated.length === 0 ? 'none' : violated.join('; ')],
    ['heap retained by one evaluation', `${mebibytes(retained)} (both ReportSets + verdict, after full GC)`],
    ['heap during runs', `peak +${mebibytes(heapPeak - heapBefore)} over ${mebibytes(heapBefore)} (used, incl. uncollected garbage, after each round), rss ${mebibytes(process.memoryUsage().rss)}`],
    ['whole CLI run (node dist/cli/main.js)', `${cliMs.toFixed(0)} ms (median of 3), exit ${exitCode} (a blocking policy is violated), --report written`],
  ];
  printRows(`Evaluating approval policies on ${SAST.toLocaleString('en')}-finding reports`, rows);
}
