/**
 * The linear-time engine against the backtracking one it replaced, on inputs where backtracking is
 * harmless: the RE2 text we compile, read by JavaScript's RegExp (the old engine, given the same
 * translation), must give the same answer as re2js for generated RE2 patterns and globs. Also
 * braces translated as alternations must mean what Ruby's brace expansion means.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translateRe2 } from '../../src/ci/expression/re2.js';
import { compileLinearPattern, type LinearPattern } from '../../src/ci/linear-pattern.js';
import { ConfigError } from '../../src/errors.js';
import { compileGlob, expandBraces } from '../../src/ci/rules/index.js';

/** The old engine: our RE2 subset spelled for JavaScript (which has no inline `(?m:`). */
function backtracking(re2Source: string): RegExp {
  const source = re2Source
    .replaceAll('\\x{', '\\u{')
    .replaceAll('(?m:^)', '(?:^|(?<=\\n))')
    .replaceAll('(?m:$)', '(?:$|(?=\\n))');
  return new RegExp(source, 'u');
}

// RE2 syntax without case folding (JavaScript cannot scope it), built from small parts.
const atom = fc.constantFrom('a', 'b', 'c', '.', '[a-b]', '[^a]', '\\d', '\\w', '\\s', '\\.', '[[:alpha:]]', 'x', '\\n');
const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; seq: string; item: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small' }, tie('seq'), fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`)),
  seq: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.constantFrom('^', '$'),
    fc.tuple(atom, fc.constantFrom('*', '+', '?', '{1,2}', '*?', '+?')).map(([a, q]) => `${a}${q}`),
    fc.tuple(fc.constantFrom('(', '(?:', '(?s:', '(?m:'), tie('expr')).map(([open, inner]) => `${open}${inner})`),
  ),
})).expr;
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', '1', ' ', '\n', '.', 'é'), maxLength: 12 });

describe('re2js answers as the backtracking engine did', () => {
  it('for generated RE2 patterns with and without s and m flags', () => {
    fc.assert(
      fc.property(pattern, fc.constantFrom('', 's', 'm', 'sm'), text, (body, flags, input) => {
        const source = translateRe2(body, flags);
        expect(compileLinearPattern(source).test(input)).toBe(backtracking(source).test(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('for globs', () => {
    const glob = fc.array(fc.constantFrom('*', '**/', '?', 'a', 'b', '.', '/', '[ab]', '[!a]', '[a-c]', '{a,b}', '{,x/}', '\\*'), { maxLength: 7 }).map((parts) => parts.join(''));
    const path = fc.array(fc.constantFrom('a', 'b', 'x', '.', '/', '*'), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(glob, path, (written, input) => {
        let compiled: LinearPattern | undefined;
        try {
          compiled = compileGlob(written);
        } catch (error) {
          // Brackets with many braces expand past the cap: refused, nothing to compare.
          if (!(error instanceof ConfigError && error.code === 'glob-too-complex')) throw error;
        }
        fc.pre(compiled !== undefined);
        if (compiled === undefined) return;
        expect(compiled.test(input)).toBe(backtracking(compiled.source).test(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('braces as alternations match what their expansions match', () => {
    const glob = fc.array(fc.constantFrom('*', '?', 'a', 'b', '.', '/', '{a,b}', '{,x}', '{a,{b,c}}', '{', '}', ','), { maxLength: 7 }).map((parts) => parts.join(''));
    const path = fc.array(fc.constantFrom('a', 'b', 'c', 'x', '.', '/', '{', '}', ','), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(glob, path, (written, input) => {
        let alternatives: string[] = [];
        try {
          alternatives = expandBraces(written);
        } catch {
          fc.pre(false); // more alternatives than expandBraces makes: the oracle cannot answer
        }
        const expanded = alternatives.some((alternative) => compileGlob(alternative.replaceAll('{', '\\{')).test(input));
        expect(compileGlob(written).test(input)).toBe(expanded);
      }),
      { numRuns: 2000 },
    );
  });
});
