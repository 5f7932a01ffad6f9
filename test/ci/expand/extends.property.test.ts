/**
 * resolveExtends on random job graphs: whatever the edges (unknown names, self loops, cycles,
 * long chains), it returns or throws a ConfigError; acyclic graphs always resolve, each job
 * ending with every key of its ancestors and its own values on top.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveExtends } from '../../../src/ci/expand/extends.js';
import { DEFAULT_LIMITS } from '../../../src/ci/limits.js';
import type { CiMap } from '../../../src/ci/value.js';
import { ConfigError } from '../../../src/errors.js';

const names = ['.base', '.tpl', 'build', 'test', 'deploy', 'lint', '.deep', 'docs'];
const ownKeys = fc.dictionary(fc.constantFrom('image', 'stage', 'tags', 'when'), fc.string({ maxLength: 3 }), { maxKeys: 3 });

interface JobSpec {
  readonly own: Readonly<Record<string, string>>;
  readonly parents: readonly string[];
}

function toConfig(specs: readonly JobSpec[]): CiMap {
  const config: CiMap = {};
  specs.forEach((spec, index) => {
    const name = names[index] ?? `job${index}`;
    config[name] = spec.parents.length === 0 ? { ...spec.own } : { ...spec.own, extends: [...spec.parents] };
  });
  return config;
}

/** Any edge at all, including to unknown names and to itself. */
const anyGraph = fc.array(
  fc.record({ own: ownKeys, parents: fc.array(fc.constantFrom(...names, '.missing'), { maxLength: 3 }) }),
  { minLength: 1, maxLength: names.length },
);

/** Edges only to earlier names: no cycles, fewer levels than the limit. */
const acyclicGraph = fc
  .array(fc.record({ own: ownKeys, parentIndexes: fc.array(fc.nat(), { maxLength: 3 }) }), {
    minLength: 1,
    maxLength: names.length,
  })
  .map((jobs) =>
    jobs.map((job, index) => ({
      own: job.own,
      parents: index === 0 ? [] : job.parentIndexes.map((parent) => names[parent % index] ?? '.base'),
    })),
  );

describe('resolveExtends on random graphs', () => {
  it('throws nothing but ConfigError, and leaves no extends behind', () => {
    fc.assert(
      fc.property(anyGraph, (specs) => {
        const config = toConfig(specs);
        const before = structuredClone(config);
        try {
          const resolved = resolveExtends(config, DEFAULT_LIMITS);
          for (const value of Object.values(resolved)) expect(value).not.toHaveProperty('extends');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect(['extends-unknown', 'extends-cycle', 'extends-too-deep']).toContain((error as ConfigError).code);
        }
        expect(config).toEqual(before);
      }),
    );
  });

  it('resolves acyclic graphs: ancestors keys present, own values win', () => {
    fc.assert(
      fc.property(acyclicGraph, (specs) => {
        const config = toConfig(specs);
        const resolved = resolveExtends(config, DEFAULT_LIMITS);
        const ancestorKeys = (index: number): Set<string> => {
          const spec = specs[index];
          const keys = new Set(Object.keys(spec?.own ?? {}));
          for (const parent of spec?.parents ?? []) for (const key of ancestorKeys(names.indexOf(parent))) keys.add(key);
          return keys;
        };
        specs.forEach((spec, index) => {
          const job = resolved[names[index] ?? ''] as CiMap;
          expect(new Set(Object.keys(job))).toEqual(ancestorKeys(index));
          for (const [key, value] of Object.entries(spec.own)) expect(job[key]).toBe(value);
        });
      }),
    );
  });
});
