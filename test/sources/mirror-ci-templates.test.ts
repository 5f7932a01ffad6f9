/**
 * scripts/mirror-ci-templates.sh against a local stand-in for gitlab-org/gitlab (no network):
 * only lib/gitlab/ci/templates/ and the licence are copied, with where they came from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const SCRIPT = resolve('scripts/mirror-ci-templates.sh');

it('copies the templates folder of a tag, its licence and a SOURCE.md naming tag and commit; nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
  const upstream = join(dir, 'gitlab');
  const git = (...args: string[]): string => {
    const run = spawnSync('git', ['-C', upstream, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return run.stdout.trim();
  };
  mkdirSync(join(upstream, 'lib/gitlab/ci/templates/Jobs'), { recursive: true });
  mkdirSync(join(upstream, 'ee'), { recursive: true });
  writeFileSync(join(upstream, 'lib/gitlab/ci/templates/Jobs/SAST.gitlab-ci.yml'), 'sast:\n  script: [scan]\n');
  writeFileSync(join(upstream, 'LICENSE'), 'MIT\n');
  writeFileSync(join(upstream, 'ee/secret.rb'), 'not ours to copy\n');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'templates');
  git('tag', 'v17.11.0-ee');
  const commit = git('rev-parse', 'HEAD');

  const dest = join(dir, 'copy');
  const run = spawnSync('sh', [SCRIPT, 'v17.11.0-ee', dest], { encoding: 'utf8', env: { ...process.env, GITLAB_REPO_URL: `file://${upstream}` } });
  expect(run.status, run.stderr).toBe(0);
  expect(readFileSync(join(dest, 'Jobs/SAST.gitlab-ci.yml'), 'utf8')).toBe('sast:\n  script: [scan]\n');
  expect(readFileSync(join(dest, 'LICENSE'), 'utf8')).toBe('MIT\n');
  expect(readFileSync(join(dest, 'SOURCE.md'), 'utf8')).toContain(`- tag: v17.11.0-ee\n- commit: ${commit}\n`);
  expect(existsSync(join(dest, 'ee'))).toBe(false);
  expect(existsSync(join(dest, 'secret.rb'))).toBe(false);
});
