/**
 * The facts `rules:changes` and `rules:exists` need, read at the edge. Changed paths come from an
 * explicit list (`--changed`) or from git in the checkout; when neither can tell, the answer is
 * "unknown", which GitLab treats as "changed" (docs "ci/jobs/job_rules": changes is true for new
 * branches, tags and pipelines without a push event).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RepositoryFacts } from '../ci/context.js';
import type { Source } from './source.js';

const run = promisify(execFile);
const NULL_SHA = /^0+$/;

export interface FactsOptions {
  readonly source: Source;
  readonly project: string;
  readonly ref: string | undefined;
  /** Changed paths given on the command line; wins over git. */
  readonly changedPaths: readonly string[] | undefined;
  /** A git checkout of the project, for `git diff`; undefined when there is none. */
  readonly checkoutDir: string | undefined;
  readonly pipelineSource: string;
  readonly beforeSha: string | undefined;
  readonly sha: string | undefined;
  readonly mergeRequestTarget: string | undefined;
}

export function createRepositoryFacts(options: FactsOptions): RepositoryFacts {
  const diffs = new Map<string, Promise<readonly string[] | undefined>>();
  return {
    changedPaths(compareTo) {
      if (options.changedPaths !== undefined) return Promise.resolve(options.changedPaths);
      const range = diffRange(options, compareTo);
      if (range === undefined || options.checkoutDir === undefined) return Promise.resolve(undefined);
      let diff = diffs.get(range);
      if (diff === undefined) {
        diff = gitChangedPaths(options.checkoutDir, range);
        diffs.set(range, diff);
      }
      return diff;
    },
    projectFiles(project, ref) {
      return options.source.listFiles(project ?? options.project, ref ?? options.ref);
    },
  };
}

/**
 * What GitLab compares with: `compare_to` or the merge request target from their merge base
 * (three dots, as a merge request diff), or a push's before SHA directly (two dots).
 */
function diffRange(options: FactsOptions, compareTo: string | undefined): string | undefined {
  const head = options.sha ?? 'HEAD';
  if (compareTo !== undefined) return `${compareTo}...${head}`;
  if (options.pipelineSource === 'merge_request_event' && options.mergeRequestTarget !== undefined) {
    return `${options.mergeRequestTarget}...${head}`;
  }
  if (options.pipelineSource === 'push' && options.beforeSha !== undefined && !NULL_SHA.test(options.beforeSha)) {
    return `${options.beforeSha}..${head}`;
  }
  return undefined;
}

async function gitChangedPaths(dir: string, range: string): Promise<readonly string[] | undefined> {
  try {
    const { stdout } = await run('git', ['-C', dir, 'diff', '--name-only', '--no-renames', range], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.split('\n').filter((line) => line !== '').sort();
  } catch {
    return undefined;
  }
}
