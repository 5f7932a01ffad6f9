/**
 * Composing the generated 500-job project with 15 pipeline execution policies, 5 of each
 * strategy (the per-pipeline limit raised to 15), in-process and as a whole CLI run, next to the
 * floor: a bare `yaml` parse and stringify of every file involved.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, stringify } from 'yaml';
import { buildPipelineRequest } from '../src/cli/pipeline-request.js';
import { parseCommandLine } from '../src/cli/parse-args.js';
import { composePipeline } from '../src/compose/index.js';
import { mebibytes, printRows, timeRounds } from './measure.js';

const STRATEGIES = ['inject_policy', 'inject_ci', 'override_project_ci'] as const;

function policyFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const policies = STRATEGIES.flatMap((strategy) =>
    [0, 1, 2, 3, 4].map((index) => {
      const name = `${strategy}-${index}`;
      const ci: Record<string, unknown> = {
        stages: ['build', 'test', `${name}-checks`, 'deploy'],
        variables: { POLICY: name, LEVEL: 'strict' },
        [`${name}-pre`]: { stage: '.pipeline-policy-pre', script: ['echo pre'], rules: [{ when: 'always' }] },
        [`${name}-check`]: { stage: `${name}-checks`, script: ['echo check'], rules: [{ when: 'always' }] },
        // Same name in every policy: suffixes on conflict.
        'policy-lint': { stage: 'test', script: ['echo lint'], rules: [{ when: 'always' }] },
        [`${name}-post`]: { stage: '.pipeline-policy-post', script: ['echo post'], rules: [{ when: 'always' }] },
      };
      if (strategy === 'override_project_ci') {
        // Override policies must agree on stages (an ordered subset of the longest list).
        ci['stages'] = ['build', 'test', 'package', 'deploy'];
        ci[`${name}-check`] = { stage: 'test', script: ['echo check'], rules: [{ when: 'always' }] };
        // One of them brings the project's own configuration back, as GitLab documents.
        if (index === 0) ci['include'] = [{ project: '$CI_PROJECT_PATH', file: '$CI_CONFIG_PATH' }];
      }
      files[`sec/policies/ci/${name}.yml`] = stringify(ci);
      return { name, enabled: true, pipeline_config_strategy: strategy, content: { include: [{ project: 'sec/policies', file: `ci/${name}.yml` }] } };
    }),
  );
  files['sec/policies/.gitlab/security-policies/policy.yml'] = stringify({ pipeline_execution_policy: policies });
  return files;
}

export async function benchComposePolicies(projectFiles: Record<string, string>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'policy-sidecar-bench-compose-'));
  const all: Record<string, string> = { ...policyFiles(), 'workspace.yml': stringify({ projects: { 'bench/project': { id: 1 }, 'sec/policies': { id: 900 } } }) };
  for (const [path, text] of Object.entries(projectFiles)) all[`bench/project/${path}`] = text;
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const floorMs = await timeRounds(() => {
    for (const text of Object.values(all)) stringify(parseDocument(text).toJS());
  });
  const argv = ['compose', '--workspace', root, '--project', 'bench/project', '--policy-project', 'sec/policies', '--policy-limit', '15', '--pipeline-policy-limit', '15'];
  const rows: [string, string][] = [];
  for (const [label, extra] of [['inject_policy + inject_ci (10 policies)', ['--policy-limit', '10']], ['all three strategies (15 policies)', []]] as const) {
    const parsed = parseCommandLine([...argv, ...extra]);
    if (parsed.kind !== 'run' || parsed.command !== 'compose') throw new Error('bench: bad command line');
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: root };
    let jobs = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const ms = await timeRounds(async () => {
      const request = await buildPipelineRequest(parsed.options, io);
      const outcome = await composePipeline({
        project: request, metadata: request.metadata, policyProjects: request.policyProjects, failOpen: false,
        limits: request.policyLimits, userVariableNames: request.userVariableNames,
      });
      jobs = outcome.emitted.jobs.length;
    });
    const heapAfter = process.memoryUsage().heapUsed;
    rows.push([label, `${ms.toFixed(1)} ms in-process (${(ms / floorMs).toFixed(1)}x floor), ${jobs} jobs, heap +${mebibytes(heapAfter - heapBefore)}`]);
  }
  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const cliMs = await timeRounds(() => execFileSync(process.execPath, [cli, ...argv, '--out', join(root, 'out.yml')], { stdio: 'ignore' }), 5);
  rows.unshift(['floor: yaml parse + stringify', `${floorMs.toFixed(1)} ms (${Object.keys(all).length} files)`]);
  rows.push(['whole CLI run (node dist/cli/main.js)', `${cliMs.toFixed(0)} ms, 15 policies`]);
  rows.push(['process', `rss ${mebibytes(process.memoryUsage().rss)}`]);
  printRows('Composing the 500-job project with pipeline execution policies', rows);
}
