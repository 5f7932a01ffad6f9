/**
 * One case per folder of test/fixtures/enforce: `input.yml` (see composed-input.ts) is built
 * into a ComposedPipeline, enforced and emitted; the YAML must equal `expected.yml`, or the error
 * must match `expected-error.txt` (line 1: code, line 2: exact message). With `prePipeline` in
 * the options, the pre pipeline must equal `expected-pre.yml` too. `UPDATE_GOLDENS=1`
 * rewrites `expected.yml`; review the diff. Folders whose name starts with `run-` belong to the
 * end-to-end tests in test/run and are skipped here.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { enforcePipelines } from '../../../src/compose/enforce/index.js';
import { emitPipelineYaml } from '../../../src/emit/pipeline-yaml.js';
import { ConfigError } from '../../../src/errors.js';
import { buildComposedPipeline, enforceOptionsOf, readComposedInput } from './composed-input.js';

const fixtures = join(import.meta.dirname, '../../fixtures/enforce');
const updateGoldens = process.env.UPDATE_GOLDENS === '1';

function enforceFixture(folder: string): string {
  return enforceFixtureFiles(folder).main;
}

function enforceFixtureFiles(folder: string): { main: string; pre: string | undefined } {
  const input = readComposedInput(parse(readFileSync(join(folder, 'input.yml'), 'utf8')));
  const enforced = enforcePipelines(buildComposedPipeline(input), enforceOptionsOf(input));
  const header = { description: 'enforced by policy-sidecar (test fixture)' };
  return { main: emitPipelineYaml(enforced.main, header), pre: enforced.pre === undefined ? undefined : emitPipelineYaml(enforced.pre, header) };
}

describe('enforcePipeline fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const folder = join(fixtures, name);
      const errorFile = join(folder, 'expected-error.txt');
      if (existsSync(errorFile)) {
        const [code, message] = readFileSync(errorFile, 'utf8').split('\n');
        let caught: unknown;
        try {
          enforceFixture(folder);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConfigError);
        const error = caught as ConfigError; // checked by the line above
        expect(error.code).toBe(code);
        if (message !== undefined && message !== '') expect(error.message).toBe(message);
        return;
      }
      const actual = enforceFixture(folder);
      // Determinism (STYLE.md): the same input gives the same bytes.
      expect(enforceFixture(folder)).toBe(actual);
      const expectedFile = join(folder, 'expected.yml');
      if (updateGoldens || !existsSync(expectedFile)) writeFileSync(expectedFile, actual);
      expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
      const { pre } = enforceFixtureFiles(folder);
      const expectedPreFile = join(folder, 'expected-pre.yml');
      if (pre === undefined) {
        expect(existsSync(expectedPreFile), 'expected-pre.yml without a pre pipeline').toBe(false);
        return;
      }
      if (updateGoldens || !existsSync(expectedPreFile)) writeFileSync(expectedPreFile, pre);
      expect(pre).toBe(readFileSync(expectedPreFile, 'utf8'));
    });
  }
});
