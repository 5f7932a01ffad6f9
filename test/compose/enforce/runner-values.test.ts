/**
 * Values the runner (or GitLab, for tags) expands before a policy or scan job's script, written
 * literally at compose time (src/compose/enforce/runner-values.ts).
 */
import { describe, expect, it } from 'vitest';
import type { VariableMap } from '../../../src/ci/expand/index.js';
import type { CiMap } from '../../../src/ci/value.js';
import { variablePrecedence } from '../../../src/compose/enforce/policy-variables.js';
import { writeRunnerValuesLiterally } from '../../../src/compose/enforce/runner-values.js';
import { PolicyError } from '../../../src/errors.js';
import type { VariablesOverride } from '../../../src/policies/types.js';
import { caughtPolicyError } from '../pep/builders.js';

const vars = (values: Record<string, string>, raw: readonly string[] = []): VariableMap =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, expand: !raw.includes(name) }]));

function literal(definition: CiMap, variables: VariableMap, override?: VariablesOverride, kind: 'policy' | 'scan-policy' = 'policy'): CiMap {
  const { wins, fromOutside } = variablePrecedence(override);
  return writeRunnerValuesLiterally(
    { name: 'check', definition, location: { file: 'policy-ci.yml', line: 3, column: 1 }, kind },
    { variables, wins, fromOutside, known: { CI_PROJECT_PATH: 'app/web', CI_JOB_NAME: 'check' } },
  );
}


describe('writeRunnerValuesLiterally', () => {
  it('follows YAML variables through other YAML variables, and keeps $$ and raw values literal for the runner', () => {
    const variables = vars({ IMAGE: '$REGISTRY/check:1', REGISTRY: 'reg.example/$CI_PROJECT_PATH', RAW: 'a$HOME' }, ['RAW']);
    expect(literal({ image: { name: '$IMAGE', entrypoint: ['$SHELL'] } }, variables)).toEqual({ image: { name: 'reg.example/app/web/check:1', entrypoint: ['$SHELL'] } });
    expect(literal({ image: 'x:$$1-${RAW}' }, variables)).toEqual({ image: 'x:$$1-a$$HOME' });
  });

  it('a self-referencing value stops instead of looping', () => {
    expect(literal({ image: '$A' }, vars({ A: '$B', B: '$A' }))['image']).toMatch(/^\$\$[AB]$/);
  });

  it('services (name, alias), cache (key, prefix, paths, fallback_keys) and tags', () => {
    const variables = vars({ SVC: 'postgres:16', DIR: '.cache', TAG: 'policy-runners' });
    const definition: CiMap = {
      services: ['$SVC', { name: '$SVC', alias: 'db-$CI_JOB_NAME', command: ['$ARGS'] }],
      cache: [{ key: { files: ['$LOCK'], prefix: '$CI_JOB_NAME' }, paths: ['$DIR'] }, { key: 'k-$CI_PROJECT_PATH', fallback_keys: ['$DIR'] }],
      tags: ['$TAG'],
    };
    expect(literal(definition, variables)).toEqual({
      services: ['postgres:16', { name: 'postgres:16', alias: 'db-check', command: ['$ARGS'] }],
      cache: [{ key: { files: ['$LOCK'], prefix: 'check' }, paths: ['.cache'] }, { key: 'k-app/web', fallback_keys: ['.cache'] }],
      tags: ['policy-runners'],
    });
  });

  it('a reference only a project variable could fill is a PolicyError at the job, naming the variable and keyword', () => {
    const error = caughtPolicyError(() => literal({ tags: ['$RUNNER_TAG'] }, {}));
    expect(error.code).toBe('policy-runner-variable');
    expect(error.message).toBe(
      'check job: tags refers to $RUNNER_TAG, which only a project, group or pipeline variable could set; the runner reads this value before the script runs, so policy-sidecar writes it literally',
    );
    expect(error.location).toEqual({ file: 'policy-ci.yml', line: 3, column: 1 });
    expect(error.hint).toMatch(/variables_override\.exceptions/);
    expect(caughtPolicyError(() => literal({ image: '$X' }, {}, undefined, 'scan-policy')).hint).toMatch(/scan action's variables/);
  });

  it('variables_override decides what the project may set: exceptions (allowed: false), anything unlisted (allowed: true)', () => {
    const variables = vars({ IMAGE: 'policy/check:1' });
    expect(literal({ image: '$IMAGE' }, variables, { allowed: false, exceptions: ['IMAGE'] })).toEqual({ image: '${IMAGE}' });
    expect(literal({ image: '$IMAGE' }, variables, { allowed: false, exceptions: [] })).toEqual({ image: 'policy/check:1' });
    expect(literal({ image: '$IMAGE' }, variables, { allowed: true, exceptions: [] })).toEqual({ image: '${IMAGE}' });
    expect(literal({ image: '$IMAGE' }, variables, { allowed: true, exceptions: ['IMAGE'] })).toEqual({ image: 'policy/check:1' });
    expect(() => literal({ image: '$OTHER' }, variables, { allowed: false, exceptions: ['IMAGE'] })).toThrow(PolicyError);
  });

  it('a predefined value from the pipeline facts wins over a YAML variable the project may override', () => {
    expect(literal({ image: '$CI_PROJECT_PATH' }, vars({}), { allowed: true, exceptions: [] })).toEqual({ image: 'app/web' });
  });
});
