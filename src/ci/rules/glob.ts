/**
 * Glob matching as GitLab does it for `rules:changes`, `rules:exists` and `only:changes`:
 * Ruby's `File.fnmatch?(glob, path, FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)`. We translate to
 * a RegExp ourselves rather than use picomatch, whose defaults differ from Ruby in ways that
 * change results: `dir/**` there matches every level (Ruby: one level, `**` is `*` unless it is
 * a whole `**\/` segment), `[!a]` and `(a|b)` mean other things, and a trailing `/` is optional.
 */
import { ConfigError } from '../../errors.js';

// Brace expansion multiplies patterns; past this many, the pattern is refused.
const MAX_BRACE_EXPANSIONS = 10_000;

/** Compiles `glob` to a RegExp matching whole paths. */
export function compileGlob(glob: string): RegExp {
  const alternatives = expandBraces(glob).map(translateFnmatch);
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'u');
}

export function matchesGlob(glob: string | RegExp, path: string): boolean {
  return (typeof glob === 'string' ? compileGlob(glob) : glob).test(path);
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
      if (bracket === undefined) return '(?!)';
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
  let body = '';
  while (chars[index] !== ']') {
    if (index >= chars.length) return undefined;
    let low = chars[index] ?? '';
    if (low === '\\' && index + 1 < chars.length) low = chars[++index] ?? '';
    index += 1;
    if (chars[index] === '-' && chars[index + 1] !== ']' && index + 1 < chars.length) {
      let high = chars[index + 1] ?? '';
      index += 2;
      if (high === '\\' && index < chars.length) high = chars[index++] ?? '';
      if ((high.codePointAt(0) ?? 0) >= (low.codePointAt(0) ?? 0)) body += `${escapeChar(low)}-${escapeChar(high)}`;
    } else {
      body += escapeChar(low);
    }
  }
  // In FNM_PATHNAME mode a bracket never matches `/`.
  return { source: `(?!/)[${negated ? '^' : ''}${body}]`, end: index };
}

function escapeChar(char: string): string {
  return /^[A-Za-z0-9]$/.test(char) ? char : `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}
