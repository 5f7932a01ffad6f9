/**
 * The include limits, with workspaces too large for fixture folders: 150 files counting
 * duplicates and nested files (docs "ci/yaml/#include"), and 100 levels of nesting.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { resolveIncludes } from '../../../src/ci/include/index.js';
import { DEFAULT_LIMITS, type CiLimits } from '../../../src/ci/limits.js';
import { createMemoryFacts, createMemoryFetcher, createMemorySource, type MemoryWorkspace } from './memory-workspace.js';
import { evaluateSimpleRules } from './simple-rule-evaluator.js';

const project = 'acme/web';

async function resolveFiles(files: Record<string, string>, limits: CiLimits = DEFAULT_LIMITS) {
  const workspace: MemoryWorkspace = { projects: { [project]: files }, templates: {}, remote: {} };
  return resolveIncludes({ project, path: '.gitlab-ci.yml', ref: undefined }, files['.gitlab-ci.yml'] ?? '', {
    source: createMemorySource(workspace),
    remote: createMemoryFetcher(workspace),
    limits,
    variables: {},
    facts: createMemoryFacts(workspace, project),
    evaluateRules: evaluateSimpleRules,
    serverHost: 'gitlab.example.com',
  });
}

function includeList(path: string, times: number): string {
  return `include:\n${`  - local: ${path}\n`.repeat(times)}`;
}

async function errorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('include count limit', () => {
  it('accepts 150 includes of the same file (duplicates are merged again)', async () => {
    const result = await resolveFiles({ '.gitlab-ci.yml': includeList('a.yml', 150), 'a.yml': 'a:\n  script: x\n' });
    expect(result.files).toHaveLength(151);
    expect(result.config).toEqual({ a: { script: 'x' } });
  });

  it('refuses the 151st include, counting duplicates', async () => {
    const error = await errorOf(resolveFiles({ '.gitlab-ci.yml': includeList('a.yml', 151), 'a.yml': 'a:\n  script: x\n' }));
    expect(error.code).toBe('include-limit');
    expect(error.message).toBe('Maximum of 150 nested includes are allowed!');
    expect(error.location).toEqual({ file: '.gitlab-ci.yml', line: 152, column: 5 }); // the 151st entry
  });

  it('counts nested includes of every copy', async () => {
    const error = await errorOf(
      resolveFiles({
        '.gitlab-ci.yml': includeList('x.yml', 2),
        'x.yml': includeList('leaf.yml', 75),
        'leaf.yml': 'leaf:\n  script: x\n',
      }),
    );
    expect(error.code).toBe('include-limit');
    expect(error.location?.file).toBe('x.yml');
  });

  it('uses the configured limit in the message', async () => {
    const limits = { ...DEFAULT_LIMITS, maxIncludes: 2 };
    const error = await errorOf(resolveFiles({ '.gitlab-ci.yml': includeList('a.yml', 3), 'a.yml': 'a: {script: x}\n' }, limits));
    expect(error.message).toBe('Maximum of 2 nested includes are allowed!');
  });
});

describe('include depth limit', () => {
  function chain(length: number): Record<string, string> {
    const files: Record<string, string> = { '.gitlab-ci.yml': 'include: f1.yml\n' };
    for (let index = 1; index <= length; index += 1) {
      files[`f${index}.yml`] = `${index < length ? `include: f${index + 1}.yml\n` : ''}job${index}:\n  script: x\n`;
    }
    return files;
  }

  it('accepts 100 levels of nested includes', async () => {
    const result = await resolveFiles(chain(100));
    expect(result.files.at(-1)).toMatchObject({ location: 'f100.yml', depth: 100 });
  });

  it('refuses the 101st level', async () => {
    const error = await errorOf(resolveFiles(chain(101)));
    expect(error.code).toBe('include-depth');
    expect(error.message).toBe('Maximum of 100 nested include levels are allowed!');
    expect(error.location).toEqual({ file: 'f100.yml', line: 1, column: 1 });
  });
});
