/**
 * `npm run bench`: prints numbers, asserts nothing. Resolving a generated 500-job configuration
 * (10 local includes, 3-level extends) in-process, next to the floor (a bare `yaml` parse and
 * stringify of the same text) and to `gitlab-ci-local --preview` on the same files; then
 * composing the same project with pipeline execution policies (compose-policies.ts); evaluating
 * approval policies on 10,000-finding reports (evaluate-reports.ts); and the status-check service
 * under signed load against a local GitLab stub (serve-throughput.ts); and adversarial
 * project-controlled patterns on the linear-time engine (patterns.ts); `verify` against a
 * GitLab stand-in answering in 20 ms (verify-throughput.ts); and the policy store's sync of
 * 10,000 projects and its questions (store-sync.ts). First, the whole-process figures, each
 * against its floor (process-figures.ts; `npm run bench -- process` runs only those).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, stringify } from 'yaml';
import { DEFAULT_LIMITS } from '../src/ci/limits.js';
import { derivePredefinedVariables } from '../src/ci/predefined-variables.js';
import { resolvePipeline } from '../src/ci/resolve-pipeline.js';
import { createRemoteFetcher } from '../src/http/remote-fetcher.js';
import { createRepositoryFacts } from '../src/sources/repository-facts.js';
import { openWorkspace } from '../src/sources/workspace/workspace-source.js';
import { createOracleRepo } from '../test/oracle/oracle-repo.js';
import { benchComposePolicies } from './compose-policies.js';
import { benchEvaluateReports } from './evaluate-reports.js';
import { generateLargeConfig } from './generate.js';
import { benchPatterns } from './patterns.js';
import { benchProcessFigures } from './process-figures.js';
import { median, printRows, timeRounds } from './measure.js';
import { benchServeThroughput } from './serve-throughput.js';
import { benchVerifyThroughput } from './verify-throughput.js';
import { benchStoreSync } from './store-sync.js';

const JOBS = 500;

// `npm run bench -- process`: only the whole-process figures (issue #14), which take a minute.
if (process.argv[2] === 'process') {
  await benchProcessFigures();
  process.exit(0);
}

const { files } = generateLargeConfig({ jobs: JOBS, includes: 10, extendsDepth: 3 });
const root = mkdtempSync(join(tmpdir(), 'policy-sidecar-bench-'));
const projectDir = join(root, 'bench', 'project');
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(projectDir, path)), { recursive: true });
  writeFileSync(join(projectDir, path), text);
}
const totalBytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);

const floorMs = await timeRounds(() => {
  for (const text of Object.values(files)) stringify(parseDocument(text).toJS());
});

const workspace = await openWorkspace(root);
const metadata = await workspace.readProject('bench/project');
if (metadata === undefined) throw new Error('bench project missing');
const predefined = derivePredefinedVariables(metadata, {
  source: 'push', branch: 'main', tag: undefined, mergeRequestTarget: undefined, mergeRequestIid: undefined,
  configPath: '.gitlab-ci.yml', serverHost: 'gitlab.example.com', sha: undefined,
});
const mainText = files['.gitlab-ci.yml'] ?? '';
let jobCount = 0;
const resolveOnce = async () => {
  const pipeline = await resolvePipeline({
    file: { project: 'bench/project', path: '.gitlab-ci.yml', ref: undefined },
    text: mainText,
    context: { projectPath: 'bench/project', predefined, user: {} },
    facts: createRepositoryFacts({
      source: workspace, project: 'bench/project', ref: undefined, changedPaths: [], checkoutDir: undefined,
      pipelineSource: 'push', beforeSha: undefined, sha: undefined, mergeRequestTarget: undefined,
    }),
    limits: DEFAULT_LIMITS,
    source: workspace,
    remote: createRemoteFetcher({ allowedHosts: [], maxBytes: 1, timeoutMs: 1 }),
    serverHost: 'gitlab.example.com',
  });
  jobCount = pipeline.jobs.length;
};
const heapBefore = process.memoryUsage().heapUsed;
const oursMs = await timeRounds(resolveOnce);
const heapAfter = process.memoryUsage().heapUsed;

// gitlab-ci-local wants a git repository shaped like a GitLab checkout; the oracle builds one.
const repo = await createOracleRepo({
  sourceDir: projectDir, ignore: [], branch: 'main', tag: undefined, defaultBranch: 'main',
  projectPath: 'bench/project', changedPaths: [],
});
const gitlabCiLocal = fileURLToPath(new URL('../node_modules/gitlab-ci-local/dist/index.js', import.meta.url));
const gclTimes: number[] = [];
try {
  for (let round = 0; round < 3; round += 1) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, [gitlabCiLocal, '--preview', '--cwd', repo.repoName, '--state-dir', `../${repo.stateName}`], {
      cwd: repo.root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: repo.env,
    });
    gclTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
} finally {
  await repo.remove();
}
const gclMs = median(gclTimes);

const rows: [string, string][] = [
  ['config', `${JOBS} jobs, 10 includes, 3-level extends, ${(totalBytes / 1024).toFixed(0)} KiB`],
  ['floor: yaml parse + stringify', `${floorMs.toFixed(1)} ms`],
  ['policy-sidecar resolve (in-process)', `${oursMs.toFixed(1)} ms  (${(oursMs / floorMs).toFixed(1)}x floor), ${jobCount} jobs`],
  ['gitlab-ci-local --preview (process)', `${gclMs.toFixed(0)} ms  (${(gclMs / floorMs).toFixed(0)}x floor, ${(gclMs / oursMs).toFixed(0)}x ours)`],
  ['heap after runs', `${(heapAfter / 1024 / 1024).toFixed(1)} MiB (+${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB), rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`],
];
printRows('Resolving a project configuration', rows);

await benchProcessFigures();
await benchComposePolicies(files);
await benchEvaluateReports();
await benchServeThroughput();
await benchVerifyThroughput();
benchPatterns();
await benchStoreSync();
