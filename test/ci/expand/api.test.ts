/**
 * What the fixtures cannot show: inputs left untouched, positions across files, shared
 * subtrees, and readVariables called directly as the orchestrator does.
 */
import { describe, expect, it } from 'vitest';
import { expandConfig, readVariables, resolveExtends, resolveReferences } from '../../../src/ci/expand/index.js';
import { jobVariablesScope } from '../../../src/ci/expand/variables.js';
import { DEFAULT_LIMITS } from '../../../src/ci/limits.js';
import { mergeCiMaps } from '../../../src/ci/merge.js';
import { parseCiFile } from '../../../src/ci/parse.js';
import { locationOf } from '../../../src/ci/positions.js';
import type { CiMap } from '../../../src/ci/value.js';
import { ConfigError } from '../../../src/errors.js';

function parse(text: string, file = 'input.yml'): CiMap {
  return parseCiFile(text, file, DEFAULT_LIMITS).content;
}

function caught(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const richConfig = `
variables: {GLOBAL: g}
default:
  image: alpine
  before_script: [echo default]
.base:
  script: [echo base]
  variables: {BASE: b}
.snippets:
  lint: [npm run lint]
build:
  extends: .base
  stage: build
test:
  extends: .base
  script:
    - !reference [.snippets, lint]
    - !reference [.base, script]
`;

describe('expandConfig', () => {
  it('leaves its input untouched', () => {
    const config = parse(richConfig);
    const before = structuredClone(config);
    const expanded = expandConfig(config, DEFAULT_LIMITS);
    expect(config).toEqual(before);
    expect(expanded.jobs.map((job) => job.name)).toEqual(['build', 'test']);
    expect(expanded.jobs[1]?.definition.script).toEqual(['npm run lint', 'echo base']);
  });

  it('points each job at where its name is written', () => {
    const expanded = expandConfig(parse(richConfig), DEFAULT_LIMITS);
    expect(expanded.jobs.map((job) => job.location)).toEqual([
      { file: 'input.yml', line: 11, column: 1 },
      { file: 'input.yml', line: 14, column: 1 },
    ]);
  });

  it('blames the file that holds the faulty extends after includes are merged', () => {
    const project = parse('build:\n  script: make\n', '.gitlab-ci.yml');
    const included = parse('lint:\n  script: lint\n  extends: .missing\n', 'ci/lint.yml');
    const error = caught(() => expandConfig(mergeCiMaps(project, included), DEFAULT_LIMITS));
    expect(error.code).toBe('extends-unknown');
    expect(error.location).toEqual({ file: 'ci/lint.yml', line: 3, column: 3 });
  });
});

describe('resolveExtends and resolveReferences', () => {
  it('keep positions on the maps they build', () => {
    const resolved = resolveReferences(resolveExtends(parse(richConfig), DEFAULT_LIMITS), DEFAULT_LIMITS);
    expect(locationOf(resolved.test)).toMatchObject({ file: 'input.yml', line: 15 });
  });

  it('share what holds no tag instead of copying it', () => {
    const config = parse(richConfig);
    const resolved = resolveReferences(config, DEFAULT_LIMITS);
    expect(resolved.build).toBe(config.build);
    expect(resolved.test).not.toBe(config.test);
  });
});

describe('readVariables', () => {
  it('turns scalars into the strings GitLab sees', () => {
    const block = parse('variables:\n  N: 10\n  F: 2.5\n  B: false\n  S: "x"\n').variables;
    expect(readVariables(block, undefined)).toEqual({
      N: { value: '10', expand: true },
      F: { value: '2.5', expand: true },
      B: { value: 'false', expand: true },
      S: { value: 'x', expand: true },
    });
  });

  it('reads nothing from an absent or null block', () => {
    expect(readVariables(undefined, undefined)).toEqual({});
    expect(readVariables(null, undefined)).toEqual({});
  });

  it('blames the given location when the block itself is wrong', () => {
    const where = { file: 'policy.yml', line: 4, column: 3 };
    const error = caught(() => readVariables('A=b', where));
    expect(error.code).toBe('variables-format');
    expect(error.location).toEqual(where);
    expect(error.message).toBe('variables config should be a hash');
  });

  it('takes only value and expand in a job block', () => {
    const block = parse('variables:\n  A: {value: a, options: [a]}\n').variables;
    const error = caught(() => readVariables(block, undefined, jobVariablesScope('Deploy')));
    expect(error.message).toBe('jobs:deploy:variables:a config uses invalid data keys: options');
    expect(error.location).toEqual({ file: 'input.yml', line: 2, column: 3 });
  });
});
