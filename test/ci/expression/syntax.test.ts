import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateExpression, parseExpression } from '../../../src/ci/expression/index.js';

function errorOf(source: string): ConfigError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${source} parsed`);
}

describe('invalid expressions are ConfigErrors with code expression-syntax', () => {
  const cases: [string, string][] = [
    ['', 'empty expression'],
    ['   ', 'empty expression'],
    ['$INVALID = 1', 'Unknown lexeme found!'],
    ['${VAR} == "a"', 'Unknown lexeme found!'], // GitLab's Variable lexeme is `$NAME` only
    ['$A == ', 'Invalid == operand'],
    ['&& $A', 'Invalid && operand'],
    ['$A $B', 'Unreachable nodes in parse tree'],
    ['($A', 'Unmatched parenthesis'],
    ['$A)', 'Unmatched parenthesis'],
    ['()', 'Empty parse tree'],
    ['$A == "unterminated', 'Unknown lexeme found!'],
    ['$A =~ /a/', 'Unknown lexeme found!'], // the Pattern lexeme needs a body of two characters
    ['$A =~ /(?=a)b/', 'Invalid regular expression!'],
    ['$A =~ /(a)\\1/', 'Invalid regular expression!'],
    ['$A =~ /a**/', 'Invalid regular expression!'],
    ['$A == nullx', 'Unknown lexeme found!'],
    ['$A == trueish', 'Unknown lexeme found!'],
    [Array.from({ length: 51 }, (_, i) => `$V${i}`).join(' && '), 'Too many tokens!'], // 101 tokens
  ];
  it.each(cases)('%j: %s', (source, detail) => {
    const error = errorOf(source);
    expect(error.code).toBe('expression-syntax');
    expect(error.message).toContain('Invalid expression syntax');
    expect(error.message).toContain(detail);
  });

  it('points at the column of an unknown lexeme', () => {
    expect(errorOf('$A = 1').message).toContain('at column 4');
  });

  it('evaluateExpression throws the same error', () => {
    expect(() => evaluateExpression('$A ==', {})).toThrow(ConfigError);
  });
});

describe('GitLab accepts what its shunting-yard parser accepts', () => {
  const cases: [string, boolean][] = [
    // 49 binary operations with 50 operands are 99 tokens: the most GitLab's lexer takes.
    [Array.from({ length: 50 }, (_, i) => (i === 0 ? '$A' : '"x"')).join(' || '), true],
    ['$A (== $B)', true],
    ['$A $B ==', true],
  ];
  it.each(cases)('%s', (source, expected) => {
    expect(evaluateExpression(source, { A: 'x', B: 'x' })).toBe(expected);
  });
});
