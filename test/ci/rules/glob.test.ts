import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { compileGlob, expandBraces, matchesGlob } from '../../../src/ci/rules/index.js';

// Ruby: File.fnmatch?(glob, path, File::FNM_PATHNAME | File::FNM_DOTMATCH | File::FNM_EXTGLOB).
describe('globs match like Ruby File.fnmatch with PATHNAME | DOTMATCH | EXTGLOB', () => {
  const cases: [string, string, boolean][] = [
    ['Dockerfile', 'Dockerfile', true],
    ['Dockerfile', 'docker/Dockerfile', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false], // FNM_PATHNAME: * stops at /
    ['docs/**/*.md', 'docs/a.md', true], // **/ matches zero directories
    ['docs/**/*.md', 'docs/x/y/a.md', true],
    ['docs/**', 'docs/a', true],
    ['docs/**', 'docs/x/a', false], // ** not followed by / is just *
    ['**', 'a', true],
    ['**', 'a/b', false],
    ['**/*.js', 'a.js', true],
    ['**/*.js', '.hidden/a.js', true], // FNM_DOTMATCH
    ['*', '.env', true],
    ['{src,lib}/*.ts', 'lib/a.ts', true], // FNM_EXTGLOB is brace expansion
    ['{a,{b,c}}/x', 'c/x', true],
    ['{a,b', '{a,b', true], // an unclosed brace is literal
    ['[!a]b', 'cb', true],
    ['[!a]b', 'ab', false],
    ['[^a]b', 'cb', true],
    ['[a-c]x', 'bx', true],
    ['a[/]b', 'a/b', false], // brackets never match / with FNM_PATHNAME
    ['[abc', '[abc', false], // an unclosed bracket never matches
    ['?.txt', 'a.txt', true],
    ['a?b', 'a/b', false],
    ['a/(b|c)', 'a/b', false], // no ksh extglob in Ruby
    ['a/(b|c)', 'a/(b|c)', true],
    ['a/*', 'a/b/', false],
    ['file\\*', 'file*', true],
    ['file\\*', 'filex', false],
    ['+(a)', '+(a)', true],
    ['!x', '!x', true], // no negation prefix
  ];
  it.each(cases)('%s on %s → %s', (glob, path, expected) => {
    expect(matchesGlob(glob, path)).toBe(expected);
  });

  it('expands braces in order', () => {
    expect(expandBraces('{a,b}{1,2}')).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('refuses brace patterns that explode', () => {
    expect(() => expandBraces('{a,b}'.repeat(16))).toThrow(ConfigError);
  });

  it('translates braces without stars that could meet as alternations, however many choices they make', () => {
    expect(matchesGlob(`${'{a,b}'.repeat(40)}/{*a,*b}*{x,y}`, `${'ab'.repeat(20)}/zzazzx`)).toBe(true);
    expect(matchesGlob('{,x/}**/*.js', 'x/a/b.js')).toBe(true); // an empty choice makes a ** segment
    expect(matchesGlob('*{,x}*/*.js', 'a/b/c.js')).toBe(true); // `**/` once the braces are expanded
  });

  it('refuses braces that must be expanded (brackets, escapes, stars that meet) past 32 alternatives', () => {
    expect(() => compileGlob(`${'{[a],b}'.repeat(6)}`)).toThrow(expect.objectContaining({ code: 'glob-too-complex' }));
    expect(() => compileGlob(`${'{a*,*b}'.repeat(6)}`)).toThrow(expect.objectContaining({ code: 'glob-too-complex' }));
    expect(matchesGlob(`${'{[a],b}'.repeat(5)}`, 'ababa')).toBe(true);
  });
});

describe('compileGlob', () => {
  it('returns a RegExp or throws a ConfigError for any text', () => {
    const glob = fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.constantFrom('*', '**', '/', '?', '[', ']', '!', '^', '-', '{', '}', ',', '\\', 'a', '.'), { maxLength: 16 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(glob, fc.string({ maxLength: 12 }), (pattern, path) => {
        try {
          expect(typeof compileGlob(pattern).test(path)).toBe('boolean');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
