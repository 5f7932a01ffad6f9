/**
 * Names files in messages so that a terminal or editor can open them. The engine names files as
 * GitLab does (`ci/build.yml` in the pipeline's project, `group/p:path@ref` elsewhere); in
 * workspace mode those are folders under the workspace, so messages name them relative to the
 * working folder (`ws/acme/web/ci/build.yml:12:5`).
 */
import { isAbsolute, join, relative } from 'node:path';
import { isSidecarError } from '../errors.js';

export type ShowFile = (file: string) => string;

export function workspacePathShower(cwd: string, workspaceDir: string, project: string): ShowFile {
  const root = relative(cwd, workspaceDir) || '.';
  return (file) => {
    if (/^[a-z]+:\/\//i.test(file) || file.startsWith('template:')) return file;
    // Files outside every project (a --templates folder, the shipped scan templates) are named by their path.
    if (isAbsolute(file)) return relative(cwd, file) || file;
    const other = /^([^:]+):(.+?)(?:@[^@/]*)?$/.exec(file);
    if (other?.[1] !== undefined && other[2] !== undefined) return join(root, other[1], other[2]);
    return join(root, project, file);
  };
}

/** Runs `work`, naming files in any error it throws with `show`. */
export async function showingPaths<T>(show: ShowFile, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isSidecarError(error) ? error.withFileShown(show) : error;
  }
}
