/**
 * Glob matching as GitLab does it for `rules:changes`, `rules:exists` and `only:changes`:
 * Ruby's `File.fnmatch?(glob, path, FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)`. We translate to
 * RE2 ourselves rather than use picomatch, whose defaults differ from Ruby in ways that change
 * results: `dir/**` there matches every level (Ruby: one level, `**` is `*` unless it is a whole
 * `**\/` segment), `[!a]` and `(a|b)` mean other things, and a trailing `/` is optional. Ruby's
 * fnmatch does not backtrack exponentially; a JavaScript RegExp would, so the translation runs on
 * the linear-time engine (linear-pattern.ts).
 */
import { ConfigError } from '../../errors.js';
import { compileLinearPattern, type LinearPattern, re2Literal, RE2_NOTHING } from '../linear-pattern.js';

// Braces that hasOnlyPlainBraces cannot translate as an alternation are expanded, and the
// engine's compile time grows with the expanded text (about 1 ms per alternative of 50 stars).
// Past this many alternatives such a glob is refused: GitLab has no such cap, but real globs
// with brackets or escapes inside braces stay far below it.
const MAX_BRACE_EXPANSIONS = 32;

/** Compiles `glob` to a pattern matching whole paths. */
export function compileGlob(glob: string): LinearPattern {
  const source = hasOnlyPlainBraces(glob) ? translateBraces(glob) : expandBraces(glob).map(translateFnmatch).join('|');
  try {
    return compileLinearPattern(`^(?:${source})$`);
  } catch (error) {
    // The engine refuses programs past its size limit, as RE2 does.
    throw new ConfigError('glob-too-complex', `the pattern ${glob} is too large to match`, { cause: error });
  }
}

export function matchesGlob(glob: string | LinearPattern, path: string): boolean {
  return (typeof glob === 'string' ? compileGlob(glob) : glob).test(path);
}

/**
 * True when expanding the braces can only ever give paths whose `*`, `?` and `/` mean the same
 * as in the written glob: no brackets or escapes (expansion could open a bracket in one branch
 * and close it in another), and no expansion in which two `*` meet (so none makes a `**`
 * segment). Such braces are a plain alternation, translated without multiplying the pattern.
 */
function hasOnlyPlainBraces(glob: string): boolean {
  return glob.includes('{') && !/[[\]\\]/.test(glob) && !starsOf(glob).double;
}

/** What any expansion of `text` may do with `*` (over-approximated: each field on its own). */
interface StarShape {
  readonly empty: boolean;
  readonly starts: boolean;
  readonly ends: boolean;
  readonly double: boolean;
}

function starsOf(text: string): StarShape {
  const group = findBraceGroup(text);
  if (group === undefined) return { empty: text === '', starts: text.startsWith('*'), ends: text.endsWith('*'), double: text.includes('**') };
  const choices = group.alternatives.map(starsOf);
  const braces: StarShape = {
    empty: choices.some((choice) => choice.empty),
    starts: choices.some((choice) => choice.starts),
    ends: choices.some((choice) => choice.ends),
    double: choices.some((choice) => choice.double),
  };
  return [starsOf(text.slice(0, group.open)), braces, starsOf(text.slice(group.close + 1))].reduce(concatStars);
}

function concatStars(left: StarShape, right: StarShape): StarShape {
  return {
    empty: left.empty && right.empty,
    starts: left.starts || (left.empty && right.starts),
    ends: right.ends || (right.empty && left.ends),
    double: left.double || right.double || (left.ends && right.starts),
  };
}

/** A glob that passed hasOnlyPlainBraces → RE2, each `{a,b}` an alternation `(?:a|b)`. */
function translateBraces(glob: string): string {
  const group = findBraceGroup(glob);
  if (group === undefined) return translatePlain(glob);
  const alternatives = group.alternatives.map(translateBraces).join('|');
  return `${translatePlain(glob.slice(0, group.open))}(?:${alternatives})${translateBraces(glob.slice(group.close + 1))}`;
}

// No brackets, escapes or `**` segments here: every character stands for itself.
function translatePlain(text: string): string {
  return Array.from(text, (char) => (char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char === '/' ? '/' : escapeChar(char))).join('');
}

/** FNM_EXTGLOB: `{a,b}` (nested too) expands before matching, as Ruby's ruby_brace_expand. */
export function expandBraces(glob: string): string[] {
  const results: string[] = [];
  const pending = [glob];
  while (pending.length > 0) {
    const pattern = pending.pop() as string;
    const group = findBraceGroup(pattern);
    if (group === undefined) {
      results.push(pattern);
    } else {
      const prefix = pattern.slice(0, group.open);
      const suffix = pattern.slice(group.close + 1);
      for (const alternative of group.alternatives.reverse()) pending.push(prefix + alternative + suffix);
    }
    if (results.length + pending.length > MAX_BRACE_EXPANSIONS) {
      throw new ConfigError('glob-too-complex', `the pattern ${glob} expands to more than ${MAX_BRACE_EXPANSIONS} alternatives`);
    }
  }
  return results;
}

function findBraceGroup(pattern: string): { open: number; close: number; alternatives: string[] } | undefined {
  let open = -1;
  let depth = 0;
  let start = 0;
  const alternatives: string[] = [];
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') {
      index += 1;
    } else if (char === '{') {
      if (depth === 0) {
        open = index;
        start = index + 1;
      }
      depth += 1;
    } else if (char === '}' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        alternatives.push(pattern.slice(start, index));
        return { open, close: index, alternatives };
      }
    } else if (char === ',' && depth === 1) {
      alternatives.push(pattern.slice(start, index));
      start = index + 1;
    }
  }
  return undefined; // an unclosed `{` stays a literal character
}

/** One brace-free pattern → RegExp source, per Ruby's fnmatch with FNM_PATHNAME | FNM_DOTMATCH. */
function translateFnmatch(pattern: string): string {
  const segments = pattern.split('/');
  let source = '';
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] ?? '';
    const last = index === segments.length - 1;
    // `**/` at the start of a segment matches zero or more directories (dot directories too).
    if (segment === '**' && !last) {
      source += '(?:[^/]*/)*';
      continue;
    }
    source += translateSegment(segment) + (last ? '' : '/');
  }
  return source;
}

function translateSegment(segment: string): string {
  let source = '';
  const chars = Array.from(segment);
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\') source += escapeChar(chars[++index] ?? '\\');
    else if (char === '[') {
      const bracket = translateBracket(chars, index + 1);
      // An unclosed bracket never matches in Ruby's fnmatch.
      if (bracket === undefined) return RE2_NOTHING;
      source += bracket.source;
      index = bracket.end;
    } else source += escapeChar(char);
  }
  return source;
}

function translateBracket(chars: readonly string[], start: number): { source: string; end: number } | undefined {
  let index = start;
  let negated = false;
  if (chars[index] === '!' || chars[index] === '^') {
    negated = true;
    index += 1;
  }
  const ranges: [number, number][] = [];
  while (chars[index] !== ']') {
    if (index >= chars.length) return undefined;
    let low = chars[index] ?? '';
    if (low === '\\' && index + 1 < chars.length) low = chars[++index] ?? '';
    index += 1;
    const lowPoint = low.codePointAt(0) ?? 0;
    if (chars[index] === '-' && chars[index + 1] !== ']' && index + 1 < chars.length) {
      let high = chars[index + 1] ?? '';
      index += 2;
      if (high === '\\' && index < chars.length) high = chars[index++] ?? '';
      const highPoint = high.codePointAt(0) ?? 0;
      if (highPoint >= lowPoint) ranges.push([lowPoint, highPoint]);
    } else {
      ranges.push([lowPoint, lowPoint]);
    }
  }
  return { source: bracketSource(ranges, negated), end: index };
}

// In FNM_PATHNAME mode a bracket never matches `/`: it is taken out of the set (RE2 has no
// lookahead to say it otherwise).
function bracketSource(ranges: readonly [number, number][], negated: boolean): string {
  const slash = 0x2f;
  if (negated) return `[^${re2Literal(slash)}${ranges.map(rangeSource).join('')}]`;
  const withoutSlash: [number, number][] = [];
  for (const [low, high] of ranges) {
    if (low < slash) withoutSlash.push([low, Math.min(high, slash - 1)]);
    if (high > slash) withoutSlash.push([Math.max(low, slash + 1), high]);
  }
  return withoutSlash.length === 0 ? RE2_NOTHING : `[${withoutSlash.map(rangeSource).join('')}]`;
}

function rangeSource([low, high]: readonly [number, number]): string {
  return low === high ? re2Literal(low) : `${re2Literal(low)}-${re2Literal(high)}`;
}

function escapeChar(char: string): string {
  return /^[A-Za-z0-9]$/.test(char) ? char : re2Literal(char.codePointAt(0) ?? 0);
}
