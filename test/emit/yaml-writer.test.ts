/**
 * The purpose-built YAML writer (src/emit/yaml-writer.ts) must give exactly the bytes `yaml`'s
 * stringify gives with our emitter options: on every YAML file of the fixtures, examples and
 * templates (their values as a map), on the composed bench pipeline, and on generated values full
 * of strings that need quoting or block style.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { InternalError } from '../../src/errors.js';
import { CiReferenceTag } from '../../src/ci/value.js';
import { writeYaml, YAML_WRITER_OPTIONS } from '../../src/emit/yaml-writer.js';

const ROOT = join(import.meta.dirname, '../..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function expectSameAsYaml(value: Record<string, unknown>): void {
  expect(writeYaml(value)).toBe(stringify(value, YAML_WRITER_OPTIONS));
}

/** Plain values only: what the emitter is given (no tags, dates or other objects). */
function isPlainTree(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainTree);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isPlainTree);
  return false;
}

describe('writeYaml', () => {
  const files = ['test/fixtures', 'examples', 'templates'].flatMap((dir) => yamlFiles(join(ROOT, dir)));

  it('finds the fixture files', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('writes every fixture, example and template file as yaml does', () => {
    let compared = 0;
    for (const file of files) {
      for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
        if (!('errors' in document) || document.errors.length > 0) continue;
        // The core schema keeps timestamps as strings; alias bombs (attack fixtures) are skipped.
        let value: unknown;
        try {
          value = document.toJS();
        } catch {
          continue;
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainTree(value)) continue;
        expect(writeYaml(value as Record<string, unknown>), file).toBe(stringify(value, YAML_WRITER_OPTIONS));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('writes the shapes the composed pipeline has', () => {
    expectSameAsYaml({
      stages: ['build', 'test'],
      'build:api': {
        stage: 'build',
        script: ['echo "a #1"', "echo 'b'", 'echo "c" \'d\'', 'make: all', 'x # y', '- not a list'],
        variables: { A: '1', B: 'on', C: { value: '$X', expand: false }, D: '', E: '0x1F', F: '2024-01-01', G: '~' },
        needs: [],
        services: [],
        cache: {},
        when: 'on_success',
        allow_failure: { exit_codes: [1, 2] },
        retry: 2,
        timeout: 1.5,
        parallel: { matrix: [{ A: ['x', 'y'] }, { B: [[1, 2], []] }] },
        nulls: [null, { k: null }],
      },
      'multi-line': {
        script: ['line 1\nline 2', 'ends\n', 'keeps\n\n', '  indented\nnext', 'trailing spaces\n  ', 'a\n\n\nb', '\nleading newline'],
        long: 'a long line that has more than forty characters\nand a second one with a space \n after',
      },
      'odd keys': { 'a: b': 1, '#c': 2, '- d': 3, yes: 4, '': 5, '1': 6, 'multi\nline': 7, '---doc': 8, '<<': '<<' },
      '---top': 'document marker key at the top',
      'unicode ✓': ['é', '😀', '\u2028', '\u0085', 'tab\there', 'nul\u0000', 'bell\u0007', 'esc\u001b', '\ud800'],
      numbers: [0, -0, 1e21, 1.25e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -5],
    });
  });

  it('breaks double-quoted lines from 40 characters on, as yaml does', () => {
    // JSON lengths 36 to 44 around yaml's doubleQuotedMinMultiLineLength of 40.
    // The bell character forces double quotes.
    const strings = Array.from({ length: 9 }, (_, index) => `${'x'.repeat(index + 25)}\n\u0007`);
    expectSameAsYaml({ job: { script: strings }, [strings[5] ?? '']: strings });
  });

  it('writes an empty map as yaml does', () => {
    expectSameAsYaml({});
  });

  it('leaves a key longer than 1024 characters to yaml', () => {
    expect(writeYaml({ ['k'.repeat(1100)]: 1 })).toBeUndefined();
  });

  it('refuses an unresolved !reference', () => {
    expect(() => writeYaml({ job: { script: [new CiReferenceTag(['.a', 'script'])] } })).toThrow(InternalError);
  });

  // Characters around which YAML's quoting rules turn.
  const tricky = fc.constantFrom(
    ...[' ', ' ', '\n', '\n', '\t', ':', '#', '-', '?', "'", '"', '*', '&', '!', '|', '>', '%', '@', '`', '{', '}', '[', ']', ',', '\\', '\r'],
    ...['a', 'y', 'n', 'o', 'N', '0', '1', '7', 'x', 'b', '.', 'e', 'E', '+', '_', '~', '<', '=', '$', '/'],
    ...['\u0000', '\u0007', '\u000b', '\u001b', '\u0085', '\u00a0', '\u2028', '\u2029', '\u007f', 'é', '😀', '\ud800'],
  );
  const words = fc.constantFrom(
    ...['yes', 'No', 'on', 'OFF', 'true', 'False', 'null', 'Null', '~', 'y', 'n', '<<', '---', '...', '%YAML', '0x1F', '0o17', '017', '0b101'],
    ...['1_000', '1.5', '.5', '1e3', '-1E-3', '.inf', '-.Inf', '.NaN', '12:30', '1:20:30.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', ''],
  );
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: tricky, maxLength: 60 }) },
    { weight: 2, arbitrary: words },
    { weight: 1, arbitrary: fc.tuple(words, fc.string({ unit: tricky, maxLength: 8 }), words).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: tricky, minLength: 40, maxLength: 120 }) },
  );
  const scalar = fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null, -0) },
  );
  const { tree } = fc.letrec<{ tree: unknown; map: Record<string, unknown>; list: unknown[] }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('list')),
    map: fc.dictionary(text, tie('tree'), { maxKeys: 5, noNullPrototype: true }),
    list: fc.array(tie('tree'), { maxLength: 5 }),
  }));

  it('writes generated values as yaml does', () => {
    fc.assert(
      fc.property(fc.dictionary(text, tree, { maxKeys: 6, noNullPrototype: true }), (value) => {
        expect(writeYaml(value)).toBe(stringify(value, YAML_WRITER_OPTIONS));
      }),
      { numRuns: 1500 },
    );
  });
});
