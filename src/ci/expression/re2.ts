/**
 * RE2 patterns, checked and run as GitLab runs them: it compiles expression patterns with RE2
 * (`Gitlab::UntrustedRegexp`), so a pattern RE2 rejects (lookaround, backreferences, possessive
 * or doubled quantifiers, `\Z`...) is rejected here with RE2's reason, and what RE2 accepts is
 * rewritten into a plain RE2 subset (inline flags applied, every literal escaped, Perl and POSIX
 * classes as ASCII ranges) and matched by the linear-time engine (linear-pattern.ts).
 */
import { ConfigError } from '../../errors.js';
import { compileLinearPattern, type LinearPattern, RE2_NOTHING } from '../linear-pattern.js';
import {
  escapePoint,
  perlClass,
  rangesToClassBody,
  readCharacterClass,
  readCharEscape,
  readUnicodeClass,
  Re2Cursor,
  type Re2Flags,
} from './re2-class.js';

// RE2 rejects counted repetition above 1000.
const MAX_REPEAT = 1000;

/** Compiles `pattern` with RE2 flags (`ismU`, as GitLab prepends them as `(?flags)`). */
export function compileRe2(pattern: string, flags = ''): LinearPattern {
  return compileLinear(pattern, translateRe2(pattern, flags));
}

/** The checked pattern in the plain RE2 subset the engine runs (exported for tests). */
export function translateRe2(pattern: string, flags = ''): string {
  const cursor = new Re2Cursor(pattern);
  const translated = translateAlternation(cursor, {
    i: flags.includes('i'),
    m: flags.includes('m'),
    s: flags.includes('s'),
    U: flags.includes('U'),
  });
  if (!cursor.eof()) cursor.fail('unexpected )');
  return translated;
}

function compileLinear(pattern: string, translated: string): LinearPattern {
  try {
    return compileLinearPattern(translated);
  } catch (error) {
    throw new ConfigError('regex-syntax', `invalid regular expression /${pattern}/`, { cause: error });
  }
}

/** Alternatives up to `)` or the end. Inline `(?i)` changes the flags for the rest of the group. */
function translateAlternation(cursor: Re2Cursor, groupFlags: Re2Flags): string {
  let flags = groupFlags;
  const alternatives: string[] = [];
  let sequence = '';
  for (;;) {
    const char = cursor.peek();
    if (char === undefined || char === ')') break;
    if (char === '|') {
      cursor.next();
      alternatives.push(sequence);
      sequence = '';
      continue;
    }
    const atom = translateAtom(cursor, flags);
    if (atom.kind === 'flags') {
      flags = atom.flags;
      continue;
    }
    sequence += applyQuantifier(cursor, atom.text, flags);
  }
  alternatives.push(sequence);
  return alternatives.join('|');
}

type Atom = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'flags'; readonly flags: Re2Flags };

function translateAtom(cursor: Re2Cursor, flags: Re2Flags): Atom {
  const char = cursor.next();
  switch (char) {
    case '(':
      return translateGroup(cursor, flags);
    case '[':
      return text(readCharacterClass(cursor, flags));
    case '.':
      return text(flags.s ? '[\\s\\S]' : '[^\\n]');
    case '^':
      return text(flags.m ? '(?m:^)' : '^');
    case '$':
      return text(flags.m ? '(?m:$)' : '$');
    case '\\':
      return text(translateEscape(cursor, flags));
    case '*':
    case '+':
    case '?':
      return cursor.fail(`missing argument to repetition operator: ${char}`);
    case '{':
      cursor.position -= 1;
      if (readRepeat(cursor) !== undefined) cursor.fail('missing argument to repetition operator');
      cursor.next();
      return text(literal(0x7b, flags));
    default:
      return text(literal(char.codePointAt(0) ?? 0, flags));
  }
}

function text(value: string): Atom {
  return { kind: 'text', text: value };
}

function translateGroup(cursor: Re2Cursor, flags: Re2Flags): Atom {
  let inner = flags;
  if (cursor.peek() === '?') {
    cursor.next();
    if (cursor.startsWith('P<') || (cursor.peek() === '<' && cursor.peek(1) !== '=' && cursor.peek(1) !== '!')) {
      if (cursor.peek() === 'P') cursor.next();
      cursor.next();
      let name = '';
      while (cursor.peek() !== '>' && !cursor.eof()) name += cursor.next();
      if (cursor.eof() || !/^[A-Za-z0-9_]+$/.test(name)) cursor.fail(`invalid named capture group: ${name}`);
      cursor.next();
    } else {
      const parsed = readFlagGroup(cursor, flags);
      if (parsed.scoped === false) return { kind: 'flags', flags: parsed.flags };
      inner = parsed.flags;
    }
  }
  const body = translateAlternation(cursor, inner);
  if (cursor.peek() !== ')') cursor.fail('missing )');
  cursor.next();
  // Capturing groups become non-capturing: only whether the pattern matches is ever asked.
  return text(`(?:${body})`);
}

/** `(?i)`, `(?s-m:`, … (after `(?`). Anything else there is Perl syntax RE2 does not support. */
function readFlagGroup(cursor: Re2Cursor, flags: Re2Flags): { flags: Re2Flags; scoped: boolean } {
  const next = { ...flags };
  let negate = false;
  let sawFlag = false;
  for (;;) {
    const char = cursor.next();
    // `(?:` with no flags is RE2's plain non-capturing group.
    if (char === ':' && !sawFlag && !negate) return { flags: next, scoped: true };
    if (char === ')' || char === ':') {
      if (!sawFlag || (negate && cursor.chars[cursor.position - 2] === '-')) cursor.fail('missing argument or invalid flags');
      return { flags: next, scoped: char === ':' };
    }
    if (char === '-' && !negate) {
      negate = true;
      continue;
    }
    if (char !== 'i' && char !== 'm' && char !== 's' && char !== 'U') {
      cursor.fail(`invalid or unsupported Perl syntax: (?${char}`);
    }
    next[char] = !negate;
    sawFlag = true;
  }
}

function translateEscape(cursor: Re2Cursor, flags: Re2Flags): string {
  if (cursor.eof()) cursor.fail('trailing \\');
  const letter = cursor.next();
  switch (letter) {
    case 'A':
      return '^';
    case 'z':
      return '$';
    case 'b':
      return '\\b';
    case 'B':
      return '\\B';
    case 'C':
      return '[\\s\\S]';
    case 'Q': {
      let quoted = '';
      while (!cursor.eof() && !cursor.startsWith('\\E')) quoted += literal(cursor.next().codePointAt(0) ?? 0, flags);
      if (!cursor.eof()) cursor.position += 2;
      return `(?:${quoted})`;
    }
    case 'p':
    case 'P': {
      const body = readUnicodeClass(cursor, letter);
      return body === '' ? RE2_NOTHING : `[${body}]`;
    }
  }
  const perl = perlClass(letter);
  if (perl !== undefined) return `[${rangesToClassBody(perl)}]`;
  const point = readCharEscape(cursor, letter);
  if (point === undefined) cursor.fail(`invalid escape sequence: \\${letter}`);
  return literal(point, flags);
}

// Case folding is RE2's own (Unicode simple folding, `k` also matches the Kelvin sign).
function literal(point: number, flags: Re2Flags): string {
  return flags.i ? `(?i:${escapePoint(point)})` : escapePoint(point);
}

/** Reads `{n}`, `{n,}` or `{n,m}` when one starts here; RE2 treats any other `{` as a literal. */
function readRepeat(cursor: Re2Cursor): string | undefined {
  const rest = cursor.chars.slice(cursor.position, cursor.position + 24).join('');
  const match = /^\{(\d+)(,(\d*))?\}/.exec(rest);
  if (match === null) return undefined;
  const low = Number(match[1]);
  const high = match[3] === undefined || match[3] === '' ? undefined : Number(match[3]);
  if (low > MAX_REPEAT || (high !== undefined && (high > MAX_REPEAT || high < low))) {
    cursor.fail(`bad repetition operator: ${match[0]}`);
  }
  cursor.position += Array.from(match[0]).length;
  return match[0];
}

function readQuantifier(cursor: Re2Cursor): string | undefined {
  const char = cursor.peek();
  if (char === '*' || char === '+' || char === '?') {
    cursor.next();
    return char;
  }
  return char === '{' ? readRepeat(cursor) : undefined;
}

function applyQuantifier(cursor: Re2Cursor, atom: string, flags: Re2Flags): string {
  const start = cursor.position;
  const quantifier = readQuantifier(cursor);
  if (quantifier === undefined) return atom;
  let lazy = false;
  if (cursor.peek() === '?') {
    cursor.next();
    lazy = true;
  }
  // RE2 rejects a repetition of a repetition (`a**`, `a*+`, `a{2}{3}`).
  if (readQuantifier(cursor) !== undefined) {
    cursor.fail(`bad repetition operator: ${cursor.chars.slice(start, cursor.position).join('')}`);
  }
  // (?U) swaps the meaning of `x*` and `x*?`.
  if (flags.U) lazy = !lazy;
  return `(?:${atom})${quantifier}${lazy ? '?' : ''}`;
}
