import { describe, expect, it } from 'vitest';
import { evaluateExpression, evaluateNode, parseExpression, type ExpressionValue } from '../../../src/ci/expression/index.js';

// The variables of GitLab's spec/lib/gitlab/ci/pipeline/expression/statement_spec.rb.
const variables = {
  PRESENT_VARIABLE: 'my variable',
  PATH_VARIABLE: 'a/path/variable/value',
  FULL_PATH_VARIABLE: '/a/full/path/variable/value',
  EMPTY_VARIABLE: '',
};

function valueOf(source: string, vars: Record<string, string> = variables): ExpressionValue | string {
  const value = evaluateNode(parseExpression(source), vars);
  return typeof value === 'object' && value !== null ? `/${value.source}/` : value;
}

describe('expression values (GitLab statement_spec #evaluate)', () => {
  const cases: [string, ExpressionValue][] = [
    ['$PRESENT_VARIABLE == "my variable"', true],
    ['"my variable" == $PRESENT_VARIABLE', true],
    ['$PRESENT_VARIABLE == null', false],
    ['$EMPTY_VARIABLE == null', false],
    ['"" == $EMPTY_VARIABLE', true],
    ['$EMPTY_VARIABLE', ''],
    ['$UNDEFINED_VARIABLE == null', true],
    ['null == $UNDEFINED_VARIABLE', true],
    ['$PRESENT_VARIABLE', 'my variable'],
    ['$UNDEFINED_VARIABLE', null],
    ['$PRESENT_VARIABLE =~ /var.*e$/', true],
    ['$PRESENT_VARIABLE =~ /va\\r.*e$/', false],
    ['$PRESENT_VARIABLE =~ /va\\/r.*e$/', false],
    ['$PRESENT_VARIABLE =~ /^var.*/', false],
    ['$EMPTY_VARIABLE =~ /var.*/', false],
    ['$UNDEFINED_VARIABLE =~ /var.*/', false],
    ['$PRESENT_VARIABLE =~ /VAR.*/i', true],
    ['$PATH_VARIABLE =~ /path\\/variable/', true],
    ['$FULL_PATH_VARIABLE =~ /^\\/a\\/full\\/path\\/variable\\/value$/', true],
    ['$FULL_PATH_VARIABLE =~ /\\\\/path\\\\/variable\\\\/value$/', true],
    ['$PRESENT_VARIABLE != "my variable"', false],
    ['$PRESENT_VARIABLE != null', true],
    ['$EMPTY_VARIABLE != null', true],
    ['$UNDEFINED_VARIABLE != null', false],
    ['$PRESENT_VARIABLE !~ /var.*e$/', false],
    ['$PRESENT_VARIABLE !~ /^var.*/', true],
    ['$PRESENT_VARIABLE !~ /^v\\ar.*/', true],
    ['$EMPTY_VARIABLE !~ /var.*/', true],
    ['$UNDEFINED_VARIABLE !~ /var.*/', true],
    ['$PRESENT_VARIABLE !~ /VAR.*/i', false],
    ['$PRESENT_VARIABLE && "string"', 'string'],
    ['$PRESENT_VARIABLE && $EMPTY_VARIABLE', ''],
    ['$PRESENT_VARIABLE && null', null],
    ['$EMPTY_VARIABLE && $PRESENT_VARIABLE', 'my variable'],
    ['null && $PRESENT_VARIABLE', null],
    ['"string" && null', null],
    ['$PRESENT_VARIABLE =~ /my var/ && $EMPTY_VARIABLE =~ /nope/', false],
    ['$EMPTY_VARIABLE == "" && $PRESENT_VARIABLE != "nope"', true],
    ['$PRESENT_VARIABLE && $UNDEFINED_VARIABLE', null],
    ['$PRESENT_VARIABLE && null || $EMPTY_VARIABLE == ""', true],
    ['$PRESENT_VARIABLE || $UNDEFINED_VARIABLE', 'my variable'],
    ['$UNDEFINED_VARIABLE || $PRESENT_VARIABLE', 'my variable'],
    ['$PRESENT_VARIABLE || $UNDEFINED_VARIABLE == null', 'my variable'],
    ['(($PRESENT_VARIABLE))', 'my variable'],
    ['(($PRESENT_VARIABLE && null) || $EMPTY_VARIABLE == "")', true],
    ['("string" || "test") == "string"', true],
    ['(null || ("test" == "string"))', false],
    ['("string" == ("test" && "string"))', true],
    ['("string" == ("test" || "string"))', false],
    ['("string" == "test" || "string")', 'string'],
    ['("string" == ("string" || (("1" == "1") && ("2" == "3"))))', true],
    // Single quotes, booleans (Lexeme::Boolean), patterns compared by source.
    ["$PRESENT_VARIABLE == 'my variable'", true],
    ['true == true', true],
    ['/ab/ == /ab/', true],
    ['/ab/i == /ab/', false],
  ];
  it.each(cases)('%s → %j', (source, expected) => {
    expect(valueOf(source)).toEqual(expected);
  });
});

describe('expression truth (Statement#truthful?)', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['$PRESENT_VARIABLE', variables, true],
    ['$UNDEFINED_VARIABLE', variables, false],
    ['$EMPTY_VARIABLE', variables, false],
    // present? is false for whitespace-only values too.
    ['$BLANK', { BLANK: '  ' }, false],
    ['$UNDEFINED_VARIABLE !~ /var.*/', variables, true],
    // A variable on the right of =~ holding /re/ is used as a pattern (gitlab!85310).
    ['$teststring =~ $pattern1', { teststring: 'abcde', pattern1: '/^ab.*/' }, true],
    ['$teststring =~ $pattern2', { teststring: 'abcde', pattern2: '/^at.*/' }, false],
    ['$teststring =~ $teststring', { teststring: 'abcde' }, true],
    ['$teststring =~ "abcde"', { teststring: 'abcde' }, true],
    // Any other string on the right: String#scan, so "left occurs in right" (gitlab#426313).
    ['$LEFT =~ $RIGHT', { LEFT: '23', RIGHT: '1234' }, true],
    ['$LEFT =~ $RIGHT', { LEFT: '1234', RIGHT: '23' }, false],
    ['$LEFT =~ $RIGHT', { LEFT: '/23/', RIGHT: '1234' }, false],
    ['$LEFT =~ $RIGHT', { LEFT: '1234', RIGHT: '/23/' }, true],
    // A variable holding a pattern RE2 rejects stays a plain string.
    ['$LEFT =~ $RIGHT', { LEFT: 'ab', RIGHT: '/(?=a)b/' }, false],
    ['$X =~ null', { X: 'a' }, false],
    ['$X !~ null', { X: 'a' }, true],
    // nil.to_s is "": an undefined variable matches a pattern that matches the empty string.
    ['$UNDEFINED =~ /^$/', {}, true],
    ['$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' }, true],
    // String literals are not variable-expanded.
    ['$A == "$B"', { A: 'x', B: 'x' }, false],
    ['$A == "$B"', { A: '$B' }, true],
    ['$CI_PIPELINE_SOURCE == "merge_request_event" || $CI_COMMIT_TAG', { CI_COMMIT_TAG: 'v1' }, true],
    ['$CI_COMMIT_MESSAGE =~ /ci-skip/m', { CI_COMMIT_MESSAGE: 'fix\nci-skip' }, true],
    ['$M =~ /^b/', { M: 'a\nb' }, false],
    ['$M =~ /^b/m', { M: 'a\nb' }, true],
    ['$M =~ /a.b/', { M: 'a\nb' }, false],
    ['$M =~ /a.b/s', { M: 'a\nb' }, true],
  ];
  it.each(cases)('%s with %j → %s', (source, vars, expected) => {
    expect(evaluateExpression(source, vars)).toBe(expected);
  });
});
