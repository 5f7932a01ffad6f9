/**
 * Builds the throw-away git repository gitlab-ci-local runs in. gitlab-ci-local reads the branch,
 * the default branch and the project path from git (its src/git-data.ts), and computes
 * `rules:changes` as `git diff --name-only origin/<default branch>` (src/utils.ts
 * evaluateRuleChanges), so the repository is shaped to make those answers match the context:
 * a "base" commit on `origin/<default>` without the changed paths, then a "head" commit with
 * everything, checked out on the pipeline's branch (or detached at its tag).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface OracleRepoOptions {
  readonly sourceDir: string;
  /** Paths (relative to sourceDir) not copied, e.g. fixture metadata such as `context.json`. */
  readonly ignore: readonly string[];
  readonly branch: string;
  readonly tag: string | undefined;
  readonly defaultBranch: string;
  readonly projectPath: string;
  /** Paths the pipeline changed; they are left out of the base commit so `git diff` lists them. */
  readonly changedPaths: readonly string[];
}

export interface OracleRepo {
  /** Parent folder; gitlab-ci-local is started here because its `--cwd` must be relative. */
  readonly root: string;
  /** Name of the repository folder under root (passed as `--cwd`). */
  readonly repoName: string;
  /** Name of the state folder under root (passed as `--state-dir ../<name>`). */
  readonly stateName: string;
  /** A private HOME, so neither git nor gitlab-ci-local read the user's configuration. */
  readonly home: string;
  /** The environment every child process gets: fixed HOME, no system git config, no GCL_*. */
  readonly env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

// Fixed identity and dates keep the commits (and so CI_COMMIT_SHA) the same on every run.
const gitIdentity = {
  GIT_AUTHOR_NAME: 'Oracle',
  GIT_AUTHOR_EMAIL: 'oracle@example.com',
  GIT_COMMITTER_NAME: 'Oracle',
  GIT_COMMITTER_EMAIL: 'oracle@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

export async function createOracleRepo(options: OracleRepoOptions): Promise<OracleRepo> {
  const root = await mkdtemp(join(tmpdir(), 'policy-sidecar-oracle-'));
  const repoName = 'repo';
  const stateName = 'state';
  const repo = join(root, repoName);
  const home = join(root, 'home');
  const env = buildChildEnv(home);
  const remove = (): Promise<void> => rm(root, { recursive: true, force: true });
  try {
    await mkdir(home, { recursive: true });
    await mkdir(join(root, stateName), { recursive: true });
    const ignored = new Set(options.ignore.map(normalisePath));
    await cp(options.sourceDir, repo, {
      recursive: true,
      filter: (source) => {
        const path = normalisePath(relative(options.sourceDir, source));
        return path !== '.git' && !path.startsWith('.git/') && !ignored.has(path);
      },
    });
    const files = await listFiles(repo);
    // gitlab-ci-local merges `.gitlab-ci-local.yml` into the configuration and reads options from
    // `.gitlab-ci-local-env` (src/parser.ts init, src/argv.ts build): neither belongs in GitLab's view.
    const localOnly = files.filter((file) => file === '.gitlab-ci-local.yml' || file === '.gitlab-ci-local-env');
    if (localOnly.length > 0) throw new Error(`oracle: ${options.sourceDir} holds gitlab-ci-local files (${localOnly.join(', ')})`);
    const git = (...args: string[]): Promise<string> => runGit(repo, env, args);
    await git('init', '-q', '-b', options.defaultBranch);
    // gitlab-ci-local reads user.name/email through git (src/git-data.ts initUserData) and warns without them.
    await git('config', 'user.name', gitIdentity.GIT_AUTHOR_NAME);
    await git('config', 'user.email', gitIdentity.GIT_AUTHOR_EMAIL);
    await git('config', 'commit.gpgsign', 'false');
    await git('remote', 'add', 'origin', `https://gitlab.example.com/${options.projectPath}.git`);

    const changed = new Set(options.changedPaths.map(normalisePath));
    const baseFiles = files.filter((file) => !changed.has(file));
    if (baseFiles.length > 0) await git('add', '--', ...baseFiles);
    await git('commit', '-q', '--allow-empty', '-m', 'base');
    const base = (await git('rev-parse', 'HEAD')).trim();
    await git('update-ref', `refs/remotes/origin/${options.defaultBranch}`, base);
    // What `git remote set-head origin <branch>` writes; gitlab-ci-local reads it for CI_DEFAULT_BRANCH.
    await git('symbolic-ref', 'refs/remotes/origin/HEAD', `refs/remotes/origin/${options.defaultBranch}`);

    if (options.branch !== options.defaultBranch) await git('checkout', '-q', '-b', options.branch);
    if (files.length > 0) await git('add', '--all');
    await git('commit', '-q', '--allow-empty', '-m', 'head');
    if (options.tag !== undefined) {
      await git('tag', options.tag);
      await git('checkout', '-q', '--detach', options.tag);
    }
    return { root, repoName, stateName, home, env, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function buildChildEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // GCL_* variables are gitlab-ci-local options (yargs .env("GCL") in its src/index.ts).
    if (key.startsWith('GCL_') || key.startsWith('GIT_')) continue;
    env[key] = value;
  }
  return { ...env, ...gitIdentity, HOME: home, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
}

async function runGit(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd, env });
    return stdout;
  } catch (error) {
    const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`oracle: git ${args.join(' ')} failed: ${stderr.trim()}`, { cause: error });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => normalisePath(relative(dir, join(entry.parentPath, entry.name))))
    .filter((path) => !path.startsWith('.git/'))
    .sort();
}

function normalisePath(path: string): string {
  return path.split(sep).join('/').replace(/^\.\//, '');
}
