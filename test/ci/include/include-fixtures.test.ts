/**
 * One test per folder in test/fixtures/include/: resolve the main file's includes and compare
 * the merged configuration, the files read, or the error (code, location, message).
 * `UPDATE_GOLDENS=1 npx vitest run test/ci/include` rewrites the expected files; review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatLocation, isSidecarError } from '../../../src/errors.js';
import { resolveIncludes, type ResolvedConfig } from '../../../src/ci/include/index.js';
import { DEFAULT_LIMITS } from '../../../src/ci/limits.js';
import type { CiValue } from '../../../src/ci/value.js';
import { listFixtureCases, loadFixtureCase, type FixtureCase } from './fixture-case.js';
import { createMemoryFacts, createMemoryFetcher, createMemorySource } from './memory-workspace.js';
import { evaluateSimpleRules } from './simple-rule-evaluator.js';

const root = join(import.meta.dirname, '../../fixtures/include');
const update = process.env.UPDATE_GOLDENS === '1';

async function resolveCase(fixture: FixtureCase): Promise<ResolvedConfig> {
  const source = createMemorySource(fixture.workspace);
  const mainText = await source.readFile(fixture.project, fixture.path, fixture.ref);
  if (mainText === undefined) throw new Error(`${fixture.name}: no main file ${fixture.path}`);
  return resolveIncludes(
    { project: fixture.project, path: fixture.path, ref: fixture.ref },
    mainText,
    {
      source,
      remote: createMemoryFetcher(fixture.workspace),
      limits: DEFAULT_LIMITS,
      variables: fixture.variables,
      facts: createMemoryFacts(fixture.workspace, fixture.project),
      evaluateRules: evaluateSimpleRules,
      serverHost: fixture.serverHost,
    },
    fixture.inputs as Record<string, CiValue> | undefined,
  );
}

function describeError(error: unknown): string {
  if (!isSidecarError(error)) throw error;
  const location = error.location === undefined ? '-' : formatLocation(error.location);
  return `${error.code}\n${location}\n${error.message}\n`;
}

function describeFiles(result: ResolvedConfig): string {
  return result.files.map((file) => `${file.depth} ${file.kind} ${file.location}\n`).join('');
}

describe('include fixtures', () => {
  for (const name of listFixtureCases(root)) {
    it(name, async () => {
      const fixture = loadFixtureCase(root, name);
      const errorFile = join(fixture.dir, 'expected-error.txt');
      const configFile = join(fixture.dir, 'expected.yml');
      const filesFile = join(fixture.dir, 'expected-files.txt');
      let result: ResolvedConfig | undefined;
      let actualError: string | undefined;
      try {
        result = await resolveCase(fixture);
      } catch (error) {
        actualError = describeError(error);
      }
      if (update) {
        if (actualError !== undefined) writeFileSync(errorFile, actualError);
        else if (result !== undefined) writeFileSync(configFile, stringify(JSON.parse(JSON.stringify(result.config))));
        if (result !== undefined && existsSync(filesFile)) writeFileSync(filesFile, describeFiles(result));
        return;
      }
      if (existsSync(errorFile)) {
        expect(actualError).toBe(readFileSync(errorFile, 'utf8'));
        return;
      }
      expect(actualError).toBeUndefined();
      expect(JSON.parse(JSON.stringify(result?.config))).toEqual(parse(readFileSync(configFile, 'utf8')) ?? {});
      if (existsSync(filesFile) && result !== undefined) expect(describeFiles(result)).toBe(readFileSync(filesFile, 'utf8'));
    });
  }
});
