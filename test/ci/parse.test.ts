import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCiFile } from '../../src/ci/parse.js';
import { DEFAULT_LIMITS } from '../../src/ci/limits.js';
import { locationOfKey } from '../../src/ci/positions.js';
import { ConfigError, formatLocation } from '../../src/errors.js';

const fixtures = join(import.meta.dirname, '../fixtures/parse');

/** `expected-error.txt` is `code file:line:column`; `*` stands for any line or column. */
function matchesLocation(actual: string, expected: string): boolean {
  const pattern = new RegExp(`^${expected.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('\\d+')}$`);
  return pattern.test(actual);
}

describe('parseCiFile fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const text = readFileSync(join(fixtures, name, 'input.yml'), 'utf8');
      const errorFile = join(fixtures, name, 'expected-error.txt');
      if (existsSync(errorFile)) {
        const [code, where] = readFileSync(errorFile, 'utf8').trim().split(' ');
        let caught: unknown;
        try {
          parseCiFile(text, 'input.yml', DEFAULT_LIMITS);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConfigError);
        const error = caught as ConfigError;
        expect(error.code).toBe(code);
        expect(error.location).toBeDefined();
        const location = formatLocation(error.location ?? { file: '' });
        expect(matchesLocation(location, where ?? ''), `${location} should match ${where}`).toBe(true);
      } else {
        const expected: unknown = JSON.parse(readFileSync(join(fixtures, name, 'expected.json'), 'utf8'));
        expect(JSON.parse(JSON.stringify(parseCiFile(text, 'input.yml', DEFAULT_LIMITS).content))).toEqual(expected);
      }
    });
  }
});

describe('parseCiFile', () => {
  it('records where each key was written', () => {
    const { content } = parseCiFile('stages: [a]\n\nbuild:\n  script: [x]\n', 'ci.yml', DEFAULT_LIMITS);
    expect(locationOfKey(content, 'build')).toEqual({ file: 'ci.yml', line: 3, column: 1 });
  });

  it('refuses files over the size limit before parsing them', () => {
    const text = `a: "${'x'.repeat(200)}"\n`;
    expect(() => parseCiFile(text, 'big.yml', { ...DEFAULT_LIMITS, maxFileBytes: 100 })).toThrow(
      expect.objectContaining({ code: 'file-too-large' }),
    );
  });

  it('gives each alias use its own copy, so merging into one cannot change another', () => {
    const { content } = parseCiFile('x: &x {a: 1}\ny: *x\nz: *x\n', 'a.yml', DEFAULT_LIMITS);
    expect(content['y']).toEqual({ a: 1 });
    expect(content['y']).not.toBe(content['z']);
  });
});
