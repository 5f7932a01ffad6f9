/** `--ci-templates DIR|project:<full/path>[@<ref>][:<folder>]`: where include:template is read in API mode. */
import { resolve } from 'node:path';
import type { CiTemplatesLocation } from '../sources/gitlab/ci-templates.js';
import { parseTemplatesProject } from './read-scan-templates.js';

export function ciTemplatesLocation(value: string | undefined, cwd: string): CiTemplatesLocation | undefined {
  if (value === undefined) return undefined;
  const project = parseTemplatesProject(value, 'ci-templates');
  return project === undefined ? { kind: 'dir', dir: resolve(cwd, value) } : { kind: 'project', ...project };
}
