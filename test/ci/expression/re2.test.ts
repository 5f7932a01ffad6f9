import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { compileRe2 } from '../../../src/ci/expression/index.js';

describe('RE2 patterns match as RE2 does', () => {
  // [pattern, flags, text, matches]
  const cases: [string, string, string, boolean][] = [
    ['^feat', '', 'feature/x', true],
    ['^feat', '', 'fix/feat', false],
    ['FEAT', 'i', 'feature', true],
    ['a(?i)b', '', 'aB', true],
    ['a(?i)b', '', 'AB', false],
    ['(?i:a)b', '', 'Ab', true],
    ['(?i:a)b', '', 'AB', false],
    ['a(?-i)b', 'i', 'Ab', true],
    ['a(?-i)b', 'i', 'AB', false],
    ['a.c', '', 'a\nc', false],
    ['a.c', 's', 'a\nc', true],
    ['^b$', '', 'a\nb', false],
    ['^b$', 'm', 'a\nb\nc', true],
    ['a$', '', 'a\n', false], // RE2's `$` without (?m) is the end of text only
    ['\\Aab\\z', '', 'ab', true],
    ['\\d+', '', '٣', false], // \d is ASCII in RE2
    ['\\s', '', '\u00a0', false], // \s is [\t\n\f\r ] in RE2
    ['\\w+$', '', 'été', false],
    ['[[:alpha:]]+', '', 'abc', true],
    ['^[[:^digit:]]+$', '', 'abc', true],
    ['^[^[:digit:]]+$', '', 'ab1', false],
    ['\\pL', '', 'é', true],
    ['\\p{Greek}', '', 'λ', true],
    ['\\PL', '', 'é', false],
    ['[\\d_]', '', '_', true],
    ['a{,3}', '', 'a{,3}', true], // not a repetition in RE2: literal text
    ['^a{2,3}$', '', 'aaa', true],
    ['^a{2}$', '', 'aaa', false],
    ['\\Q.*\\E', '', '.*', true],
    ['\\Q.*\\E', '', 'ab', false],
    ['(?P<year>\\d{4})-(?<month>\\d\\d)', '', '2024-05', true],
    ['\\x41\\x{42}\\101', '', 'ABA', true],
    ['[a-c]', 'i', 'B', true],
    ['^a+?$', 'U', 'aaa', true],
    ['', '', '', true],
    ['x*', '', '', true],
    ['^(?:ab)+$', '', 'abab', true], // a plain non-capturing group is RE2 syntax
    ['^(?:a|b)c$', '', 'bc', true],
    ['^(?:a)(?i:b)$', '', 'aB', true],
    ['k', 'i', '\u212a', true], // RE2's case folding: k, K and the Kelvin sign
    ['\\P{Any}|x', '', 'x', true],
    ['^(a+)+$', '', `${'a'.repeat(40)}b`, false], // exponential for a backtracking engine
  ];
  it.each(cases)('/%s/%s on %j → %s', (pattern, flags, text, expected) => {
    expect(compileRe2(pattern, flags).test(text)).toBe(expected);
  });
});

describe('patterns RE2 rejects are ConfigErrors with code regex-syntax', () => {
  const cases: [string, string][] = [
    ['(?=a)', 'invalid or unsupported Perl syntax'],
    ['(?!a)', 'invalid or unsupported Perl syntax'],
    ['(?<=a)b', 'invalid or unsupported Perl syntax'],
    ['(?<!a)b', 'invalid or unsupported Perl syntax'],
    ['(?>a)', 'invalid or unsupported Perl syntax'],
    ['(a)\\1', 'invalid escape sequence: \\1'],
    ['(?P=name)', 'invalid or unsupported Perl syntax'],
    ['a**', 'bad repetition operator'],
    ['a*+', 'bad repetition operator'],
    ['a{2}{3}', 'bad repetition operator'],
    ['a{1001}', 'bad repetition operator'],
    ['*a', 'missing argument to repetition operator'],
    ['(a', 'missing )'],
    ['a)', 'unexpected )'],
    ['[a', 'missing closing ]'],
    ['[z-a]', 'bad character class range'],
    ['\\Z', 'invalid escape sequence'],
    ['\\k<a>', 'invalid escape sequence'],
    ['a\\', 'trailing \\'],
    ['\\p{Klingon}', 'invalid character class range'],
    ['[[:foo:]]', 'invalid character class range'],
    ['(?)', 'missing argument or invalid flags'],
    ['(?x)a', 'invalid or unsupported Perl syntax'],
  ];
  it.each(cases)('/%s/: %s', (pattern, reason) => {
    let thrown: unknown;
    try {
      compileRe2(pattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe('regex-syntax');
    expect((thrown as ConfigError).message).toContain(reason);
  });
});
