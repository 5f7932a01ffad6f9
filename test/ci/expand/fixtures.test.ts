/**
 * One case per folder of test/fixtures/expand: `input.yml` runs through parseCiFile and
 * expandConfig; the result must equal `expected.yml`, or the error must match
 * `expected-error.txt` (line 1: `code file:line:column`, `*` for any number; line 2, when
 * present: the exact message). `UPDATE_GOLDENS=1` rewrites `expected.yml`; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { expandConfig, type ExpandedConfig, type VariableMap } from '../../../src/ci/expand/index.js';
import { DEFAULT_LIMITS } from '../../../src/ci/limits.js';
import { parseCiFile } from '../../../src/ci/parse.js';
import { CiReferenceTag, type CiValue } from '../../../src/ci/value.js';
import { ConfigError, formatLocation } from '../../../src/errors.js';

const fixtures = join(import.meta.dirname, '../../fixtures/expand');
const updateGoldens = process.env.UPDATE_GOLDENS === '1';

function expand(text: string): ExpandedConfig {
  return expandConfig(parseCiFile(text, 'input.yml', DEFAULT_LIMITS).content, DEFAULT_LIMITS);
}

/** A variable prints as its value, or as a hash when it carries more than a value. */
function plainVariables(variables: VariableMap): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, variable]) => {
      const simple = variable.expand && variable.description === undefined && variable.options === undefined;
      return [name, simple ? variable.value : { ...variable }];
    }),
  );
}

function containsTag(value: CiValue): boolean {
  if (value instanceof CiReferenceTag) return true;
  if (Array.isArray(value)) return value.some(containsTag);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsTag);
  return false;
}

function toPlain(expanded: ExpandedConfig): Record<string, unknown> {
  for (const job of expanded.jobs) expect(containsTag(job.definition), `${job.name} still holds a !reference`).toBe(false);
  return {
    stages: expanded.stages,
    ...(expanded.workflow === undefined ? {} : { workflow: expanded.workflow }),
    variables: plainVariables(expanded.globalVariables),
    jobs: Object.fromEntries(
      expanded.jobs.map((job) => [job.name, { ...job.definition, variables: plainVariables(job.variables) }]),
    ),
  };
}

function matchesLocation(actual: string, expected: string): boolean {
  const escaped = expected.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('\\d+')}$`).test(actual);
}

function checkError(text: string, errorFile: string): void {
  const [header = '', message] = readFileSync(errorFile, 'utf8').split('\n');
  const [code, where = ''] = header.split(' ');
  let caught: unknown;
  try {
    expand(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError; // checked by the line above
  expect(error.code).toBe(code);
  const location = formatLocation(error.location ?? { file: '(none)' });
  expect(matchesLocation(location, where), `${location} should match ${where}`).toBe(true);
  if (message !== undefined && message !== '') expect(error.message).toBe(message);
}

describe('expandConfig fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const folder = join(fixtures, name);
      const text = readFileSync(join(folder, 'input.yml'), 'utf8');
      const errorFile = join(folder, 'expected-error.txt');
      if (existsSync(errorFile)) {
        checkError(text, errorFile);
        return;
      }
      const actual = toPlain(expand(text));
      const expectedFile = join(folder, 'expected.yml');
      if (updateGoldens) writeFileSync(expectedFile, stringify(actual, { aliasDuplicateObjects: false }));
      const expected = parse(readFileSync(expectedFile, 'utf8')) as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(actual))).toEqual(expected);
      // Jobs keep the merged configuration's order.
      expect(Object.keys(actual.jobs as object)).toEqual(Object.keys(expected.jobs as object));
      // Deterministic: a second run gives the same result.
      expect(toPlain(expand(text))).toEqual(actual);
    });
  }
});
