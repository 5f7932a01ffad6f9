/**
 * Whole configurations written by others, resolved as GitLab would resolve them: one case per
 * folder of test/fixtures/resolve. A folder is a repository (`.gitlab-ci.yml` and what it
 * includes) plus `context.json` (the pipeline, as for the oracle fixtures) and either
 * `expected.yml` (each created job's stage, when, allow_failure and needs) or
 * `expected-error.txt` (line 1: `code file:line:column`; line 2: the exact message, GitLab's
 * wording). The first line of `.gitlab-ci.yml` names the GitLab source or doc the case follows
 * (`# GitLab: ...`). `UPDATE_GOLDENS=1` rewrites `expected.yml`; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatLocation, isSidecarError } from '../../src/errors.js';
import { isMap } from '../../src/ci/value.js';
import { fixtureMetadataFiles, loadOracleFixture } from '../oracle/oracle-fixtures.js';
import { ourPipeline } from '../oracle/our-engine.js';

const fixtures = join(import.meta.dirname, '../fixtures/resolve');
const updateGoldens = process.env['UPDATE_GOLDENS'] === '1';
const ignored = [...fixtureMetadataFiles, 'expected.yml', 'expected-error.txt'];

async function resolveCase(name: string): Promise<Awaited<ReturnType<typeof ourPipeline>>> {
  const fixture = await loadOracleFixture(name, fixtures);
  return ourPipeline(fixture.dir, fixture.context, ignored);
}

function summary(result: Awaited<ReturnType<typeof ourPipeline>>): Record<string, unknown> {
  const jobs = Object.fromEntries(
    result.resolved.jobs.map((job) => [
      job.name,
      {
        stage: job.stage,
        when: job.when,
        allow_failure: job.allowFailure,
        ...(job.needs === undefined ? {} : { needs: job.needs.map((need) => (isMap(need) ? need['job'] : need)) }),
      },
    ]),
  );
  return { created: result.created, jobs };
}

describe('resolved configurations (GitLab semantics)', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, async () => {
      const folder = join(fixtures, name);
      const firstLine = readFileSync(join(folder, '.gitlab-ci.yml'), 'utf8').split('\n')[0] ?? '';
      expect(firstLine, 'the case names the GitLab source it follows').toMatch(/^# GitLab: \S/);
      const errorFile = join(folder, 'expected-error.txt');
      if (existsSync(errorFile)) {
        const [header = '', message] = readFileSync(errorFile, 'utf8').split('\n');
        const [code, where] = header.split(' ');
        const caught = await resolveCase(name).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (!isSidecarError(caught)) throw new Error(`expected a ${code} error, got ${String(caught)}`);
        expect(caught.code).toBe(code);
        expect(formatLocation(caught.location ?? { file: '(none)' })).toBe(where);
        if (message !== undefined && message !== '') expect(caught.message).toBe(message);
        return;
      }
      const actual = summary(await resolveCase(name));
      const expectedFile = join(folder, 'expected.yml');
      if (updateGoldens) writeFileSync(expectedFile, stringify(actual));
      expect(actual).toEqual(parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});
