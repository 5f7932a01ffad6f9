/**
 * The real CLI as a separate process, as CI runs it: exit codes, standard output and error, files
 * written, byte-identical output across runs, and the composed pipeline read back by the
 * independent GitLab CI implementation (gitlab-ci-local) as the same jobs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/cli/options.js';
import { cliEntry } from '../helpers/built-cli.js';
import { oraclePipeline } from '../oracle/gitlab-ci-local.js';
import { ourPipeline } from '../oracle/our-engine.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(repoRoot, 'examples/workspace');

async function cli(args: string[], cwd = repoRoot) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry, ...args], {
      cwd,
      env: { ...process.env, CI: '', FORCE_COLOR: '0' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The project's own pipeline, composed without policies on purpose (--allow-no-policies).
const compose = ['compose', '--workspace', 'examples/workspace', '--project', 'acme/web', '--branch', 'main', '--allow-no-policies'];
const noPoliciesWarning = 'policy-sidecar: WARNING: no security policy project was given or linked, so no policy is enforced\n';

describe('policy-sidecar as a process', () => {
  it('composes the example into a self-contained pipeline, the same bytes every time', async () => {
    const first = await cli(compose);
    const second = await cli(compose);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe(noPoliciesWarning);
    expect(second.stdout).toBe(first.stdout);
    const pipeline = parse(first.stdout) as Record<string, Record<string, unknown>>;
    for (const keyword of ['include', 'default', 'variables', 'workflow', 'image', 'before_script']) {
      expect(pipeline, keyword).not.toHaveProperty(keyword);
    }
    for (const [name, job] of Object.entries(pipeline).filter(([key]) => key !== 'stages')) {
      expect(name.startsWith('.'), name).toBe(false);
      for (const keyword of ['extends', 'rules', 'only', 'except', 'inherit']) expect(job, `${name}.${keyword}`).not.toHaveProperty(keyword);
      expect(job).toHaveProperty('stage');
      expect(job).toHaveProperty('when');
    }
  });

  it('writes the pipeline and the report to files, and a summary on request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-out-'));
    const result = await cli([...compose, '--out', join(dir, 'pipeline.yml'), '--report', join(dir, 'report.json'), '--summary']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(noPoliciesWarning)).toBe(true);
    expect(result.stderr.slice(noPoliciesWarning.length)).toMatch(/^acme\/web: \d+ jobs in \d+ stages.*; WARNING: no security policy project/);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { jobs: { name: string; origin: string }[] };
    const pipeline = parse(await readFile(join(dir, 'pipeline.yml'), 'utf8')) as Record<string, unknown>;
    expect(report.jobs.map((job) => job.name).sort()).toEqual(Object.keys(pipeline).filter((key) => key !== 'stages').sort());
    expect(report.jobs.every((job) => job.origin === 'project')).toBe(true);
  });

  it('the composed pipeline means the same jobs to gitlab-ci-local, run as a child pipeline', async () => {
    const result = await cli([...compose, '--mr-target', 'main', '--branch', 'feature/checkout']);
    expect(result.code, result.stderr).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'child-'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitlab-ci.yml'), result.stdout);
    const child = { source: 'parent_pipeline', branch: 'feature/checkout', projectPath: 'acme/web' };
    const parent = await ourPipeline(join(examples, 'acme/web'), {
      source: 'merge_request_event', branch: 'feature/checkout', projectPath: 'acme/web',
      projects: { 'acme/ci-templates': join(examples, 'acme/ci-templates') },
    }, ['README.md']);
    const oracle = await oraclePipeline(dir, child);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(oracle.jobs.map(({ ignoredKeywords: _ignored, ...job }) => job).sort(byName))
      .toEqual(parent.jobs.map(({ ignoredKeywords: _ignored, ...job }) => job).sort(byName));
  });

  it.each(Object.keys(COMMANDS))('%s --help exits 0 and names the command', async (command) => {
    const result = await cli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`policy-sidecar ${command}`);
  });

  it('bad input: one message with file:line:column on standard error, exit 2, no stack trace', async () => {
    const result = await cli(['compose', '--workspace', 'ws', '--project', 'acme/app'], join(repoRoot, 'test/fixtures/cli/include-loop'));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^policy-sidecar: ws\/acme\/app\/ci\/b\.yml:2:5: Include loop/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('logs JSON lines in CI', async () => {
    const { stderr, code } = await (async () => {
      try {
        const out = await run(process.execPath, [cliEntry, ...compose, '--log-level', 'debug'], {
          cwd: repoRoot,
          env: { ...process.env, CI: 'true' },
        });
        return { stderr: out.stderr, code: 0 };
      } catch (error) {
        return { stderr: (error as { stderr: string }).stderr, code: 1 };
      }
    })();
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
