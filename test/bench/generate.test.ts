/**
 * The benchmark generator must produce valid GitLab CI: a small instance goes through the
 * gitlab-ci-local oracle (which also JSON-schema-validates it), and every generated job must
 * come back with its extends chain resolved.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateLargeConfig } from '../../bench/generate.js';
import { oraclePipeline } from '../oracle/gitlab-ci-local.js';

const options = { jobs: 30, includes: 3, extendsDepth: 3 };

describe('generateLargeConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'generate-test-'));
    for (const [path, text] of Object.entries(generateLargeConfig(options).files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is deterministic', () => {
    expect(generateLargeConfig(options)).toEqual(generateLargeConfig(options));
  });

  it('writes the main file and one file per include', () => {
    const { files } = generateLargeConfig(options);
    expect(Object.keys(files)).toEqual(['.gitlab-ci.yml', 'ci/family-00.yml', 'ci/family-01.yml', 'ci/family-02.yml']);
    const main: unknown = parse(files['.gitlab-ci.yml'] ?? '');
    expect(main).toMatchObject({ include: [{ local: 'ci/family-00.yml' }, { local: 'ci/family-01.yml' }, { local: 'ci/family-02.yml' }] });
  });

  it('is valid CI that gitlab-ci-local resolves, every job through a 3-level extends chain', async () => {
    const pipeline = await oraclePipeline(dir, { source: 'push', branch: 'main' }, { includeNever: true });
    expect(pipeline.created).toBe(true);
    expect(pipeline.stages).toEqual(['.pre', 'build', 'test', 'package', 'deploy', '.post']);
    expect(pipeline.jobs).toHaveLength(options.jobs);
    for (const job of pipeline.jobs) {
      expect(Object.keys(job.variables).filter((key) => /^FAMILY_\d+_LEVEL_\d+$/.test(key))).toHaveLength(3);
      expect(job.beforeScript).toEqual(['echo "family before_script"', 'npm ci --prefer-offline']);
      expect(job.variables).toMatchObject({ GLOBAL_00: 'value-0' });
    }
    // A push to the default branch: tag-only jobs are dropped, the rest run; some use needs.
    const never = pipeline.jobs.filter((job) => job.when === 'never');
    expect(never.length).toBeGreaterThan(0);
    expect(never.length).toBeLessThan(options.jobs / 2);
    expect(pipeline.jobs.some((job) => job.needs !== null && job.needs.length > 0)).toBe(true);
    expect(pipeline.jobs.some((job) => job.needs !== null && job.needs.length === 0)).toBe(true);
  });

  it('honours the workflow rules it generates', async () => {
    const pipeline = await oraclePipeline(dir, { source: 'push', branch: 'feature/x' });
    expect(pipeline.created).toBe(false);
  });
});
