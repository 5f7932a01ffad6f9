/**
 * Patterns that a project controls (its `rules:if` regexes, `only`/`except` refs, globs, include
 * wildcards, input regexes) are matched in linear time, as GitLab does with RE2
 * (`Gitlab::UntrustedRegexp`): a backtracking engine lets a 41-character input run for minutes.
 * Callers translate their syntax to RE2 source; this is the one door to the RE2 engine (re2js, a
 * pure JavaScript port of RE2, so nothing native to build).
 */
import { RE2JS } from 're2js';

export interface LinearPattern {
  /** The RE2 source that was compiled. */
  readonly source: string;
  /** True when the pattern matches anywhere in `text` (anchors in the source make it whole). */
  test(text: string): boolean;
}

/** Compiles RE2 `source`; throws the engine's syntax error, which callers turn into their own. */
export function compileLinearPattern(source: string): LinearPattern {
  const compiled = RE2JS.compile(source);
  return { source, test: (text) => compiled.test(text) };
}

/** RE2 text for one literal code point, whatever it is. */
export function re2Literal(point: number): string {
  return `\\x{${point.toString(16)}}`;
}

// Matches nothing: RE2 has no `(?!)` and rejects the empty class `[]`.
export const RE2_NOTHING = '[^\\x{0}-\\x{10ffff}]';
