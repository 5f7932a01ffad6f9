/**
 * `evaluate` on small reports written in the analyzers' formats, one folder per behaviour under
 * test/fixtures/evaluate/<case>/ (folders without a policy.yml, like the example's golden, are
 * not cases):
 *
 * - `policy.yml`: the policy project's .gitlab/security-policies/policy.yml;
 * - `mr/` and `main/`: the merge request pipeline's and the target branch's report files
 *   (no `main/`: the target branch has no pipeline);
 * - `README.md`: the behaviour and the GitLab source or docs it follows;
 * - `expected-report.json` (the --report JSON) and `expected-exit.txt` (the exit code);
 * - `expected-stdout.txt` (optional): lines the summary must contain.
 *
 * The project is grp/app (id 278964, so finding ids are GitLab's UUIDs), merging into its
 * protected default branch main. `UPDATE_GOLDENS=1` rewrites the report and exit goldens.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';

const fixtures = join(import.meta.dirname, '../fixtures/evaluate');
const updateGoldens = process.env['UPDATE_GOLDENS'] === '1';

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function prefixed(prefix: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`${prefix}/${path}`, text]));
}

describe('evaluate fixtures', () => {
  const cases = readdirSync(fixtures)
    .filter((name) => existsSync(join(fixtures, name, 'policy.yml')))
    .sort();
  for (const name of cases) {
    it(name, async () => {
      const dir = join(fixtures, name);
      const hasTarget = existsSync(join(dir, 'main'));
      const root = await writeWorkspace({
        'workspace.yml': { projects: { 'grp/app': { id: 278964, default_branch: 'main', protected_branches: ['main'] }, 'grp/policies': { id: 2 } } },
        'grp/app/README.md': 'app\n',
        'grp/policies/.gitlab/security-policies/policy.yml': readFileSync(join(dir, 'policy.yml'), 'utf8'),
        // An empty folder still exists for --reports when a case gives no source reports.
        'reports/mr/.keep': '',
        ...prefixed('reports/mr', filesUnder(join(dir, 'mr'))),
        ...prefixed('reports/main', filesUnder(join(dir, 'main'))),
      });
      const out = await mkdtemp(join(tmpdir(), 'evaluate-fixture-'));
      const argv = ['evaluate', '--workspace', root, '--project', 'grp/app', '--policy-project', 'grp/policies', '--mr-target', 'main', '--reports', join(root, 'reports/mr')];
      if (hasTarget) argv.push('--target-reports', join(root, 'reports/main'));
      const run = await runInProcess([...argv, '--report', join(out, 'report.json')], root);
      expect(run.stderr).toBe('');
      const report = await readFile(join(out, 'report.json'), 'utf8');
      if (updateGoldens) {
        writeFileSync(join(dir, 'expected-report.json'), report);
        writeFileSync(join(dir, 'expected-exit.txt'), `${run.code}\n`);
      }
      expect(report).toBe(readFileSync(join(dir, 'expected-report.json'), 'utf8'));
      expect(`${run.code}\n`).toBe(readFileSync(join(dir, 'expected-exit.txt'), 'utf8'));
      const stdoutPath = join(dir, 'expected-stdout.txt');
      if (existsSync(stdoutPath)) {
        for (const line of readFileSync(stdoutPath, 'utf8').split('\n').filter((text) => text !== '')) expect(run.stdout).toContain(line);
      }
    });
  }
});
