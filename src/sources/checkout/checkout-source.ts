/**
 * The pipeline's own project at the pipeline's ref, read from the job's checkout (SPEC §2: the
 * compose job "reads the project's own CI config from the checkout"), so local includes,
 * rules:exists and the CI file itself see exactly the commit the pipeline runs for, with no API
 * round trip. Everything else (other projects, other refs, templates, metadata, merge requests)
 * goes to the fallback, the GitLab API source.
 */
import { resolve } from 'node:path';
import { insideOrThrow, listTree, readRegularFile } from '../files.js';
import type { Source } from '../source.js';

export interface CheckoutSourceOptions {
  /** The checkout's root folder (CI_PROJECT_DIR). */
  readonly dir: string;
  /** The full path of the project checked out (CI_PROJECT_PATH). */
  readonly project: string;
  readonly fallback: Source;
}

export function createCheckoutSource(options: CheckoutSourceOptions): Source {
  const root = resolve(options.dir);
  const { fallback } = options;
  let files: Promise<readonly string[]> | undefined;
  // `ref` undefined is "the ref the run is about" (source.ts); a named ref may differ from the
  // checkout, so it is read through the API like any other project.
  const isCheckout = (project: string, ref: string | undefined): boolean => ref === undefined && project === options.project;

  return {
    async readFile(project, path, ref) {
      if (!isCheckout(project, ref)) return fallback.readFile(project, path, ref);
      return readRegularFile(insideOrThrow(root, path, `${project}:${path}`), root, `${project}:${path}`);
    },
    listFiles(project, ref) {
      if (!isCheckout(project, ref)) return fallback.listFiles(project, ref);
      files ??= listTree(root);
      return files;
    },
    readTemplate: (name) => fallback.readTemplate(name),
    readProject: (path) => fallback.readProject(path),
    // Merge requests are not in a checkout: always the API's answer.
    openMergeRequests: (project, sourceBranch) => fallback.openMergeRequests(project, sourceBranch),
  };
}
