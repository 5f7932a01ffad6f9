/** Parses a CI YAML snippet with positions, as the real pipeline does. */
import { parseCiFile } from '../../../src/ci/parse.js';
import { DEFAULT_LIMITS } from '../../../src/ci/limits.js';
import type { CiMap } from '../../../src/ci/value.js';

export const FILE = '.gitlab-ci.yml';

export function parseYaml(text: string): CiMap {
  return parseCiFile(text, FILE, DEFAULT_LIMITS).content;
}
