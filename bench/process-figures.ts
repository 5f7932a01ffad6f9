/**
 * The whole-process figures of issue #14, each as a ratio to a floor measured in the same run
 * (rounds alternate ours and the floor, so a busy machine slows both alike):
 * - `--version` against `node -e 0` (goal ≤ 1.5×);
 * - `compose` of the 500-job project (10 local includes, 3-level extends, rules) with 5 pipeline
 *   execution and 3 scan execution policies, against a node process that only parses and
 *   re-emits the same YAML files with the same `yaml` library (goal ≤ 1.6×, peak RSS ≤ 150 MB);
 * - `evaluate` on 13,000 findings a side (10,000 SAST + 3,000 dependency scanning) against a node
 *   process that JSON.parses the same report files (goal ≤ 2×).
 * Each figure is given as wall time and as CPU time (user + system), both medians; CPU time is
 * the steadier of the two on a busy machine. Peak is the highest RSS of the rounds.
 * With BENCH_BASELINE_CLI=/path/to/other/dist/cli/main.js the same figures are taken for that
 * build too, in the same rounds: the before and after of one change on one machine state.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { prepareEvaluateWorkspace } from './evaluate-reports.js';
import { generateLargeConfig } from './generate.js';
import { median, printRows } from './measure.js';

const ROUNDS = 7;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const YAML_URL = import.meta.resolve('yaml');

interface Figure {
  readonly label: string;
  readonly goal: string;
  readonly floor: Medians;
  readonly ours: Medians;
  /** The baseline build's, when BENCH_BASELINE_CLI is given. */
  readonly baseline: Medians | undefined;
}

interface ProcessRun {
  readonly wallMs: number;
  /** User + system CPU time of the process: less sensitive to other load on the machine than wall time. */
  readonly cpuMs: number;
  readonly peakMb: number;
}

/**
 * One run of `node args`. The process reports its own CPU time and peak RSS as it exits, through
 * a hook loaded with --import: floors and ours carry the same hook, so it cancels out in ratios.
 * Exit 1 of evaluate is a verdict (a blocking policy is violated), not a failed run.
 */
function runProcess(args: readonly string[], okCodes: readonly number[] = [0]): ProcessRun {
  const dir = mkdtempSync(join(tmpdir(), 'policy-sidecar-usage-'));
  const file = join(dir, 'usage.json');
  const hook = `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(file)}, JSON.stringify(process.resourceUsage())));`;
  const start = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '' },
    });
  } catch (error) {
    const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
    if (typeof status !== 'number' || !okCodes.includes(status)) throw error;
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const usage = JSON.parse(readFileSync(file, 'utf8')) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakMb: usage.maxRSS / 1024 };
}

interface Medians {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakMb: number;
}

function medians(runs: readonly ProcessRun[]): Medians {
  return { wallMs: median(runs.map((run) => run.wallMs)), cpuMs: median(runs.map((run) => run.cpuMs)), peakMb: Math.max(...runs.map((run) => run.peakMb)) };
}

/** Alternates floor, ours and baseline for ROUNDS rounds after one warm-up of each (file caches). */
function measure(label: string, goal: string, floor: readonly string[], ours: (cli: string) => string[], okCodes: readonly number[] = [0]): Figure {
  const baseline = process.env['BENCH_BASELINE_CLI'];
  const runs: { floor: ProcessRun[]; ours: ProcessRun[]; baseline: ProcessRun[] } = { floor: [], ours: [], baseline: [] };
  runProcess(floor);
  runProcess(ours(CLI), okCodes);
  if (baseline !== undefined) runProcess(ours(baseline), okCodes);
  for (let round = 0; round < ROUNDS; round += 1) {
    runs.floor.push(runProcess(floor));
    runs.ours.push(runProcess(ours(CLI), okCodes));
    if (baseline !== undefined) runs.baseline.push(runProcess(ours(baseline), okCodes));
  }
  return { label, goal, floor: medians(runs.floor), ours: medians(runs.ours), baseline: baseline === undefined ? undefined : medians(runs.baseline) };
}

const STRATEGIES = ['inject_policy', 'inject_policy', 'inject_policy', 'inject_ci', 'inject_ci'] as const;

/** 5 pipeline execution policies (3 inject_policy, 2 inject_ci) and 3 scan execution policies. */
function policyProjectFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const pipelineExecution = STRATEGIES.map((strategy, index) => {
    const name = `${strategy}-${index}`;
    files[`ci/${name}.yml`] = stringify({
      variables: { POLICY: name },
      [`${name}-pre`]: { stage: '.pipeline-policy-pre', script: ['echo pre'] },
      [`${name}-check`]: { stage: 'test', script: ['echo check'], rules: [{ if: '$CI_COMMIT_BRANCH', when: 'always' }] },
      [`${name}-post`]: { stage: '.pipeline-policy-post', script: ['echo post'] },
    });
    return { name, enabled: true, pipeline_config_strategy: strategy, content: { include: [{ project: 'sec/policies', file: `ci/${name}.yml` }] } };
  });
  const scanExecution = [
    { name: 'secrets everywhere', rules: [{ type: 'pipeline', branches: ['*'] }], actions: [{ scan: 'secret_detection' }] },
    { name: 'sast on default', rules: [{ type: 'pipeline', branch_type: 'default' }], actions: [{ scan: 'sast' }] },
    { name: 'dependencies on main', rules: [{ type: 'pipeline', branches: ['main'] }], actions: [{ scan: 'dependency_scanning' }] },
  ].map((policy) => ({ ...policy, enabled: true }));
  files['.gitlab/security-policies/policy.yml'] = stringify({ pipeline_execution_policy: pipelineExecution, scan_execution_policy: scanExecution });
  return files;
}

function writeTree(root: string, files: Record<string, string>): string[] {
  return Object.entries(files).map(([path, text]) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    return join(root, path);
  });
}

/** The 500-job project and its policy project under `root`: every YAML file compose reads, and its arguments. */
export function prepareComposeWorkspace(root: string): { yamlPaths: string[]; composeArgs: string[] } {
  const { files } = generateLargeConfig({ jobs: 500, includes: 10, extendsDepth: 3 });
  const yamlPaths = [
    ...writeTree(join(root, 'bench/project'), files),
    ...writeTree(join(root, 'sec/policies'), policyProjectFiles()),
    // The scan templates the three scan policies read.
    ...['secret_detection', 'sast', 'dependency_scanning'].map((scan) => fileURLToPath(new URL(`../templates/scans/${scan}.yml`, import.meta.url))),
  ];
  writeTree(root, { 'workspace.yml': stringify({ projects: { 'bench/project': { id: 1, default_branch: 'main' }, 'sec/policies': { id: 900 } } }) });
  const composeArgs = ['compose', '--workspace', root, '--project', 'bench/project', '--policy-project', 'sec/policies', '--branch', 'main', '--out', join(root, 'out.yml')];
  return { yamlPaths, composeArgs };
}

/** A script for `node`: reads each file and parses it (and re-emits it, for YAML). */
function floorScript(root: string, name: string, body: string): string {
  const path = join(root, name);
  writeFileSync(path, body);
  return path;
}

export async function benchProcessFigures(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'policy-sidecar-bench-process-'));
  try {
    const figures: Figure[] = [];
    figures.push(measure('--version vs node -e 0', '≤ 1.5×', ['-e', '0'], (cli) => [cli, '--version']));

    const { yamlPaths, composeArgs } = prepareComposeWorkspace(root);
    const yamlFloor = floorScript(
      root,
      'yaml-floor.mjs',
      `import { readFileSync } from 'node:fs';\nimport { parse, stringify } from ${JSON.stringify(YAML_URL)};\nlet out = '';\nfor (const path of ${JSON.stringify(yamlPaths)}) out += stringify(parse(readFileSync(path, 'utf8')));\nprocess.stdout.write(out);\n`,
    );
    figures.push(measure('compose, 500 jobs, 5 PEP + 3 SEP, vs yaml parse+emit', '≤ 1.6×, ≤ 150 MB', [yamlFloor], (cli) => [cli, ...composeArgs]));

    const evaluate = prepareEvaluateWorkspace(join(root, 'evaluate'));
    const jsonFloor = floorScript(
      root,
      'json-floor.mjs',
      `import { readFileSync } from 'node:fs';\nlet n = 0;\nfor (const path of ${JSON.stringify(evaluate.reportPaths)}) n += Object.keys(JSON.parse(readFileSync(path, 'utf8'))).length;\nprocess.stdout.write(String(n));\n`,
    );
    figures.push(measure('evaluate, 13,000 findings a side, vs JSON.parse', '≤ 2×', [jsonFloor], (cli) => [cli, ...evaluate.args], [0, 1]));

    const baseline = process.env['BENCH_BASELINE_CLI'];
    const rows: [string, string][] = [['load average (1, 5, 15 min)', loadavg().map((load) => load.toFixed(1)).join(', ')]];
    for (const figure of figures) {
      const describe = (who: string, m: Medians) =>
        `${who} ${(m.wallMs / figure.floor.wallMs).toFixed(2)}× wall (${m.wallMs.toFixed(0)} ms), ${(m.cpuMs / figure.floor.cpuMs).toFixed(2)}× CPU (${m.cpuMs.toFixed(0)} ms), peak ${m.peakMb.toFixed(0)} MB`;
      rows.push([figure.label, `goal ${figure.goal}`]);
      rows.push(['', describe('ours    ', figure.ours)]);
      if (figure.baseline !== undefined) rows.push(['', describe('baseline', figure.baseline)]);
      rows.push(['', `floor    ${figure.floor.wallMs.toFixed(0)} ms wall, ${figure.floor.cpuMs.toFixed(0)} ms CPU, peak ${figure.floor.peakMb.toFixed(0)} MB`]);
    }
    printRows(`Whole processes, medians of ${ROUNDS}, ratios to floors of the same run${baseline === undefined ? '' : ` (baseline: ${baseline})`}`, rows);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
