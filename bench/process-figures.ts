/**
 * The whole-process figures of issue #14, each as a ratio to a floor measured in the same run
 * (rounds alternate ours and the floor, so a busy machine slows both alike):
 * - `--version` against `node -e 0` (goal ≤ 1.5×);
 * - `compose` of the 500-job project (10 local includes, 3-level extends, rules) with 5 pipeline
 *   execution and 3 scan execution policies, against a node process that only parses and
 *   re-emits the same YAML files with the same `yaml` library (goal ≤ 1.6×, peak RSS ≤ 150 MB);
 * - `evaluate` on 13,000 findings a side (10,000 SAST + 3,000 dependency scanning) against a node
 *   process that JSON.parses the same report files (goal ≤ 2×).
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
  /** Median ms of the floor, of ours, and of the baseline build when given. */
  readonly floorMs: number;
  readonly oursMs: number;
  readonly baselineMs: number | undefined;
  readonly peak: string;
}

/** Exit 1 of evaluate is a verdict (a blocking policy is violated), not a failed run. */
function runProcess(args: readonly string[], okCodes: readonly number[] = [0]): number {
  const start = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } });
  } catch (error) {
    const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
    if (typeof status !== 'number' || !okCodes.includes(status)) throw error;
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Peak resident set size of one run, in MB, read by the process itself as it exits. */
function peakRss(args: readonly string[], okCodes: readonly number[] = [0]): number {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-sidecar-rss-')), 'rss');
  const hook = `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(file)}, String(process.resourceUsage().maxRSS)));`;
  runProcess(['--import', `data:text/javascript,${encodeURIComponent(hook)}`, ...args], okCodes);
  const kilobytes = Number(readFileSync(file, 'utf8'));
  rmSync(dirname(file), { recursive: true, force: true });
  return kilobytes / 1024;
}

/** Alternates floor, ours and baseline for ROUNDS rounds after one warm-up of each (file caches). */
function measure(label: string, goal: string, floor: readonly string[], ours: (cli: string) => string[], okCodes: readonly number[] = [0]): Figure {
  const baseline = process.env['BENCH_BASELINE_CLI'];
  const times: { floor: number[]; ours: number[]; baseline: number[] } = { floor: [], ours: [], baseline: [] };
  runProcess(floor);
  runProcess(ours(CLI), okCodes);
  if (baseline !== undefined) runProcess(ours(baseline), okCodes);
  for (let round = 0; round < ROUNDS; round += 1) {
    times.floor.push(runProcess(floor));
    times.ours.push(runProcess(ours(CLI), okCodes));
    if (baseline !== undefined) times.baseline.push(runProcess(ours(baseline), okCodes));
  }
  const peaks = [`ours ${peakRss(ours(CLI), okCodes).toFixed(0)} MB`, `floor ${peakRss(floor).toFixed(0)} MB`];
  if (baseline !== undefined) peaks.push(`baseline ${peakRss(ours(baseline), okCodes).toFixed(0)} MB`);
  return {
    label,
    goal,
    floorMs: median(times.floor),
    oursMs: median(times.ours),
    baselineMs: baseline === undefined ? undefined : median(times.baseline),
    peak: peaks.join(', '),
  };
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
      const ratio = (ms: number) => `${(ms / figure.floorMs).toFixed(2)}×`;
      let text = `${ratio(figure.oursMs)} (goal ${figure.goal}): ${figure.oursMs.toFixed(0)} ms vs floor ${figure.floorMs.toFixed(0)} ms`;
      if (figure.baselineMs !== undefined) text += `; baseline ${ratio(figure.baselineMs)} (${figure.baselineMs.toFixed(0)} ms)`;
      rows.push([figure.label, `${text}; peak RSS ${figure.peak}`]);
    }
    printRows(`Whole processes, medians of ${ROUNDS}, ratios to floors of the same run${baseline === undefined ? '' : ` (baseline: ${baseline})`}`, rows);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
