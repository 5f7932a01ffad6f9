/**
 * Regular expressions written in Ruby syntax, `/body/flags`, as GitLab's
 * `Gitlab::UntrustedRegexp::RubySyntax` reads them: flags are `i`, `s`, `m` and `U`, prepended to
 * the body as an RE2 `(?flags)` group, and the body is compiled by RE2 (see re2.ts).
 */
import { ConfigError, isSidecarError } from '../../errors.js';
import type { LinearPattern } from '../linear-pattern.js';
import { compileRe2 } from './re2.js';

export interface RegexValue {
  readonly kind: 'regex';
  /** The RE2 source as GitLab holds it (`(?i)body`); two patterns are equal when it is. */
  readonly source: string;
  /** Matched in linear time, as RE2 does. */
  readonly regexp: LinearPattern;
}

// RubySyntax::PATTERN is %r{^/(?<regexp>.*)/(?<flags>[ismU]*)$}; Ruby's `.` stops at a newline.
const rubySyntax = /^\/([^\n]*)\/([ismU]*)$/;

/** `/body/flags` → a compiled pattern; throws a ConfigError (`regex-syntax`) when RE2 would. */
export function compileRubyPattern(text: string): RegexValue {
  const match = rubySyntax.exec(text);
  if (match === null) throw new ConfigError('regex-syntax', `${text} is not a regular expression in /pattern/flags form`);
  const body = match[1] ?? '';
  const flags = match[2] ?? '';
  return { kind: 'regex', source: flags === '' ? body : `(?${flags})${body}`, regexp: compileRe2(body, flags) };
}

/**
 * Pattern.build_and_evaluate: a variable's value is used as a pattern when it reads as a valid
 * `/.../` regular expression (escaped slashes unescaped first); otherwise it stays a string.
 */
export function patternFromString(value: string): RegexValue | undefined {
  try {
    return compileRubyPattern(value.replace(/\\\//g, '/'));
  } catch (error) {
    if (isSidecarError(error)) return undefined;
    throw error;
  }
}

/** RE2 `scan(text).present?`: true when the pattern matches anywhere, also an empty match. */
export function patternMatches(pattern: RegexValue, text: string): boolean {
  return pattern.regexp.test(text);
}
