/**
 * The commit a checkout holds, and the project its `origin` remote names, read from its `.git`
 * without running git (a `git` on PATH, or a repository's config, could be the project's own
 * code). The runner checks out a detached SHA (HEAD holds 40 hex digits); a symbolic HEAD is
 * followed through a loose ref or packed-refs. `.git` may be a file `gitdir: <path>` (worktrees,
 * submodules). The runner writes `.git/config` from the job it was given, not from the repository.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** HEAD's commit, or undefined when `dir` holds no readable git checkout. */
export async function readCheckoutHead(dir: string): Promise<string | undefined> {
  const gitDir = await findGitDir(dir);
  if (gitDir === undefined) return undefined;
  const head = (await readText(join(gitDir, 'HEAD')))?.trim();
  if (head === undefined) return undefined;
  if (SHA.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (ref === undefined || ref.split('/').includes('..')) return undefined;
  const loose = (await readText(join(gitDir, ref)))?.trim();
  if (loose !== undefined && SHA.test(loose)) return loose;
  // A worktree keeps its refs in the common folder.
  const common = (await readText(join(gitDir, 'commondir')))?.trim();
  const refsDir = common === undefined ? gitDir : resolve(gitDir, common);
  const packed = (await readText(join(refsDir, 'packed-refs'))) ?? '';
  for (const line of packed.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (name === ref && sha !== undefined && SHA.test(sha)) return sha;
  }
  return undefined;
}

/**
 * The path of the `origin` remote's URL (`https://gitlab-ci-token:...@host/acme/web.git` gives
 * `/acme/web`), or undefined when there is none. The URL may hold a token: only its path leaves.
 */
export async function readCheckoutOriginPath(dir: string): Promise<string | undefined> {
  const gitDir = await findGitDir(dir);
  if (gitDir === undefined) return undefined;
  const common = (await readText(join(gitDir, 'commondir')))?.trim();
  const config = (await readText(join(common === undefined ? gitDir : resolve(gitDir, common), 'config'))) ?? '';
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    const url = inOrigin ? /^url\s*=\s*(.+)$/.exec(line)?.[1]?.trim() : undefined;
    if (url === undefined) continue;
    try {
      return decodeURIComponent(new URL(url).pathname).replace(/\.git$/, '').replace(/\/+$/, '');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function findGitDir(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isDirectory()) return dotGit;
  const pointer = /^gitdir: (.+)$/m.exec((await readText(dotGit)) ?? '')?.[1]?.trim();
  if (pointer === undefined) return undefined;
  return isAbsolute(pointer) ? pointer : resolve(dir, pointer);
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}
