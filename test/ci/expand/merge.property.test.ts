/**
 * GitLab's merge rule (src/ci/merge.ts, Ruby's Hash#deep_merge as used for includes and
 * `extends`), checked on random CI maps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeCiMaps } from '../../../src/ci/merge.js';
import { isMap, type CiMap, type CiValue } from '../../../src/ci/value.js';

// Few key names, so that random maps overlap and nested hashes meet.
const key = fc.constantFrom('image', 'script', 'variables', 'cache', 'a', 'b');
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null));

const { map: ciMap } = fc.letrec<{ value: CiValue; map: CiMap }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), tie('map')),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));

/**
 * Maps where a key always holds the same kind of value, as in real configurations (`variables`
 * is always a hash, `script` never is): hash keys and other keys are drawn from separate names.
 */
const { map: consistentMap } = fc.letrec<{ map: CiMap; other: CiValue }>((tie) => ({
  other: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
  map: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'consistent-map' },
    // A fresh object each time: deepmerge-ts reads one object met at two depths as a cycle.
    fc.constant(null).map((): CiMap => ({})),
    fc
      .tuple(
        fc.dictionary(fc.constantFrom('variables', 'cache', 'artifacts'), tie('map'), { maxKeys: 2 }),
        fc.dictionary(fc.constantFrom('image', 'script', 'when'), tie('other'), { maxKeys: 2 }),
      )
      .map(([hashes, others]): CiMap => ({ ...hashes, ...others })),
  ),
}));

describe('mergeCiMaps', () => {
  it('is associative when each key keeps one kind of value', () => {
    fc.assert(
      fc.property(consistentMap, consistentMap, consistentMap, (a, b, c) => {
        expect(mergeCiMaps(mergeCiMaps(a, b), c)).toEqual(mergeCiMaps(a, mergeCiMaps(b, c)));
      }),
    );
  });

  it('has the empty map as identity on both sides', () => {
    fc.assert(
      fc.property(ciMap, (a) => {
        expect(mergeCiMaps({}, a)).toEqual(a);
        expect(mergeCiMaps(a, {})).toEqual(a);
      }),
    );
  });

  // GitLab deep-merges one map after another (includes, and `merged.deep_merge!(h)` in extends).
  it('merges three maps as GitLab does, one after another', () => {
    const a: CiMap = { b: false };
    const b: CiMap = { b: { image: {} } };
    const c: CiMap = { b: {} };
    expect(mergeCiMaps(mergeCiMaps(a, b), c)).toEqual({ b: { image: {} } });
    expect(mergeCiMaps(a, b, c)).toEqual({ b: { image: {} } });
  });

  // A `!reference` result shares its target, so one map can sit at two depths of the inputs.
  it('treats a map shared between inputs as plain data', () => {
    const shared: CiMap = {};
    const merged = mergeCiMaps({ cache: shared }, shared);
    expect(merged.cache).not.toBe(merged);
    expect(merged).toEqual({ cache: {} });
  });

  it('is not associative when a hash is replaced by a scalar in between, like Ruby deep_merge', () => {
    // a.deep_merge(b).deep_merge(c) => {b: {}}; a.deep_merge(b.deep_merge(c)) => {b: {image: false}}.
    const a: CiMap = { b: { image: false } };
    const b: CiMap = { b: false };
    const c: CiMap = { b: {} };
    expect(mergeCiMaps(mergeCiMaps(a, b), c)).toEqual({ b: {} });
    expect(mergeCiMaps(a, mergeCiMaps(b, c))).toEqual({ b: { image: false } });
  });

  it('lets the later map win for scalars and lists, and merges hashes key by key', () => {
    fc.assert(
      fc.property(ciMap, ciMap, (a, b) => {
        const merged = mergeCiMaps(a, b);
        for (const [name, later] of Object.entries(b)) {
          const earlier = a[name];
          if (isMap(later) && isMap(earlier)) expect(merged[name]).toEqual(mergeCiMaps(earlier, later));
          else expect(merged[name]).toEqual(later);
        }
        for (const [name, earlier] of Object.entries(a)) {
          if (!Object.hasOwn(b, name)) expect(merged[name]).toEqual(earlier);
        }
      }),
    );
  });

  it('keeps the keys of both sides, and no others', () => {
    fc.assert(
      fc.property(ciMap, ciMap, (a, b) => {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        expect(new Set(Object.keys(mergeCiMaps(a, b)))).toEqual(keys);
      }),
    );
  });

  it('never modifies its inputs', () => {
    fc.assert(
      fc.property(ciMap, ciMap, ciMap, (a, b, c) => {
        const before = structuredClone([a, b, c]);
        mergeCiMaps(a, b, c);
        expect([a, b, c]).toEqual(before);
      }),
    );
  });

  it('is idempotent: merge(a, a) = a', () => {
    fc.assert(
      fc.property(ciMap, (a) => {
        expect(mergeCiMaps(a, a)).toEqual(a);
      }),
    );
  });
});
