/**
 * readCheckoutHead: the commit of a checkout from its `.git`, without git: a detached HEAD (what
 * the runner checks out), a branch through a loose ref or packed-refs, a `.git` file pointing at
 * the git folder, and no checkout at all.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckoutHead, readCheckoutOriginPath } from '../../src/sources/checkout/checkout-head.js';

const SHA = '0ec9e58fdfca6cdd6652c083c9edb53abc0bad52';
const OTHER = '1111111111111111111111111111111111111111';

async function checkout(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'head-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('readCheckoutHead', () => {
  it.each<{ name: string; files: Record<string, string>; head: string | undefined }>([
    { name: 'a detached HEAD (the runner\'s checkout)', files: { '.git/HEAD': `${SHA}\n` }, head: SHA },
    { name: 'a branch with a loose ref', files: { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${SHA}\n` }, head: SHA },
    { name: 'a branch in packed-refs', files: { '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs with: peeled\n${OTHER} refs/heads/other\n${SHA} refs/heads/main\n` }, head: SHA },
    { name: 'a branch that does not exist', files: { '.git/HEAD': 'ref: refs/heads/gone\n' }, head: undefined },
    { name: 'a HEAD that is neither', files: { '.git/HEAD': 'not a sha\n' }, head: undefined },
    { name: 'a ref climbing out of the git folder', files: { '.git/HEAD': 'ref: refs/../../outside\n', 'outside': `${SHA}\n` }, head: undefined },
    { name: 'no .git at all', files: { 'README.md': 'hi' }, head: undefined },
  ])('$name', async ({ files, head }) => {
    expect(await readCheckoutHead(await checkout(files))).toBe(head);
  });

  it('follows a .git file to a git folder elsewhere (worktrees, submodules)', async () => {
    const gitDir = await checkout({ 'HEAD': `${SHA}\n` });
    const dir = await checkout({ '.git': `gitdir: ${gitDir}\n` });
    expect(await readCheckoutHead(dir)).toBe(SHA);
  });
});

describe('readCheckoutOriginPath', () => {
  it.each<{ name: string; config: string | undefined; path: string | undefined }>([
    { name: 'the runner\'s remote with a job token in the URL: the path only', config: '[remote "origin"]\n\turl = https://gitlab-ci-token:secret@gitlab.example.com/acme/web.git\n', path: '/acme/web' },
    { name: 'a GitLab under a relative URL root', config: '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://host/gitlab/acme/web.git\n', path: '/gitlab/acme/web' },
    { name: 'another remote only', config: '[remote "upstream"]\n\turl = https://host/other/repo.git\n', path: undefined },
    { name: 'no config', config: undefined, path: undefined },
  ])('$name', async ({ config, path }) => {
    const files: Record<string, string> = { '.git/HEAD': `${SHA}\n` };
    if (config !== undefined) files['.git/config'] = config;
    expect(await readCheckoutOriginPath(await checkout(files))).toBe(path);
  });
});
