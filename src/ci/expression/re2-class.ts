/**
 * Character classes and escapes of RE2's syntax (https://github.com/google/re2/wiki/Syntax),
 * checked as RE2 checks them and written back as plain RE2 class text: explicit code point
 * ranges, so what the engine runs is exactly what was checked here.
 */
import { ConfigError } from '../../errors.js';
import { re2Literal, RE2_NOTHING } from '../linear-pattern.js';

export interface Re2Flags {
  readonly i: boolean;
  readonly m: boolean;
  readonly s: boolean;
  readonly U: boolean;
}

export type Range = readonly [number, number];

const MAX_CODE_POINT = 0x10ffff;

export class Re2Cursor {
  position = 0;
  readonly chars: readonly string[];
  constructor(readonly pattern: string) {
    this.chars = Array.from(pattern); // code points, as RE2 reads UTF-8 runes
  }
  peek(ahead = 0): string | undefined {
    return this.chars[this.position + ahead];
  }
  next(): string {
    const char = this.chars[this.position];
    if (char === undefined) this.fail('unexpected end of pattern');
    this.position += 1;
    return char;
  }
  eof(): boolean {
    return this.position >= this.chars.length;
  }
  startsWith(text: string): boolean {
    return this.chars.slice(this.position, this.position + text.length).join('') === text;
  }
  fail(reason: string): never {
    throw new ConfigError('regex-syntax', `invalid regular expression /${this.pattern}/: ${reason}`, {
      hint: 'GitLab matches with RE2, which has no lookaround, backreferences or possessive quantifiers.',
    });
  }
}

const perlClasses: Readonly<Record<string, readonly Range[]>> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

const posixClasses: Readonly<Record<string, readonly Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const generalCategories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

export function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const result: Range[] = [];
  let start = 0;
  for (const [low, high] of sorted) {
    if (low > start) result.push([start, low - 1]);
    start = Math.max(start, high + 1);
  }
  if (start <= MAX_CODE_POINT) result.push([start, MAX_CODE_POINT]);
  return result;
}

/** `\d`, `\S`... as ranges, or undefined when `letter` is not a Perl class. */
export function perlClass(letter: string): Range[] | undefined {
  const ranges = perlClasses[letter.toLowerCase()];
  if (ranges === undefined) return undefined;
  return letter === letter.toLowerCase() ? [...ranges] : complement(ranges);
}

/** `\pL`, `\p{Greek}`, `\P{^Lu}` (the letter p or P already read) as JavaScript class text. */
export function readUnicodeClass(cursor: Re2Cursor, letter: string): string {
  let name: string;
  if (cursor.peek() === '{') {
    cursor.next();
    name = '';
    while (cursor.peek() !== '}') name += cursor.next();
    cursor.next();
  } else {
    name = cursor.next();
  }
  let negated = letter === 'P';
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  if (name === 'Any') return negated ? '' : '\\x{0}-\\x{10ffff}';
  // RE2 knows general categories and scripts by their long names (`Greek`, not `Grek`).
  if (!/^[A-Za-z_]+$/.test(name)) cursor.fail(`invalid character class range: \\p{${name}}`);
  const property = generalCategories.has(name) ? name : `Script=${name}`;
  try {
    new RegExp(`\\p{${property}}`, 'u');
  } catch {
    cursor.fail(`invalid character class range: \\p{${name}}`);
  }
  return `\\${negated ? 'P' : 'p'}{${name}}`;
}

/** One character escape (after the backslash): `\n`, `\x{41}`, `\101`, `\.`; undefined if not one. */
export function readCharEscape(cursor: Re2Cursor, letter: string): number | undefined {
  const simple: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
  const code = simple[letter];
  if (code !== undefined) return code;
  if (letter >= '0' && letter <= '7') {
    // RE2: a single non-zero digit is a backreference, which RE2 does not support.
    if (letter !== '0' && !/[0-7]/.test(cursor.peek() ?? '')) cursor.fail(`invalid escape sequence: \\${letter}`);
    let digits = letter;
    while (digits.length < 3 && /[0-7]/.test(cursor.peek() ?? '')) digits += cursor.next();
    return parseInt(digits, 8);
  }
  if (letter === 'x') return readHexEscape(cursor);
  const point = letter.codePointAt(0) ?? 0;
  if (point < 0x80 && !/[A-Za-z0-9]/.test(letter)) return point;
  return undefined;
}

function readHexEscape(cursor: Re2Cursor): number {
  let digits = '';
  if (cursor.peek() === '{') {
    cursor.next();
    while (cursor.peek() !== '}' && !cursor.eof()) digits += cursor.next();
    if (cursor.eof()) cursor.fail('invalid escape sequence: \\x{');
    cursor.next();
  } else {
    digits = (cursor.peek() ?? '') + (cursor.peek(1) ?? '');
    cursor.position += 2;
  }
  const value = /^[0-9A-Fa-f]{1,8}$/.test(digits) ? parseInt(digits, 16) : NaN;
  if (!(value <= MAX_CODE_POINT)) cursor.fail(`invalid escape sequence: \\x${digits}`);
  return value;
}

export function escapePoint(point: number): string {
  return re2Literal(point);
}

export function rangesToClassBody(ranges: readonly Range[]): string {
  return ranges.map(([low, high]) => (low === high ? escapePoint(low) : `${escapePoint(low)}-${escapePoint(high)}`)).join('');
}

/** Parses `[...]` (the `[` already read) and returns RE2 class text (case folding left to RE2's `(?i:`). */
export function readCharacterClass(cursor: Re2Cursor, flags: Re2Flags): string {
  let negated = false;
  if (cursor.peek() === '^') {
    cursor.next();
    negated = true;
  }
  const ranges: Range[] = [];
  const extra: string[] = [];
  let first = true;
  for (;;) {
    if (cursor.eof()) cursor.fail('missing closing ]');
    if (cursor.peek() === ']' && !first) {
      cursor.next();
      break;
    }
    first = false;
    if (cursor.startsWith('[:')) {
      const end = cursor.chars.indexOf(':', cursor.position + 2);
      const name = cursor.chars.slice(cursor.position + 2, end).join('');
      const set = posixClasses[name.replace(/^\^/, '')];
      if (end > 0 && cursor.peek(end - cursor.position + 1) === ']' && set !== undefined) {
        cursor.position = end + 2;
        ranges.push(...(name.startsWith('^') ? complement(set) : set));
        continue;
      }
      if (end > 0 && cursor.peek(end - cursor.position + 1) === ']') cursor.fail(`invalid character class range: [${name}]`);
    }
    const low = readClassAtom(cursor, ranges, extra);
    if (low === undefined) continue;
    if (cursor.peek() === '-' && cursor.peek(1) !== ']' && cursor.peek(1) !== undefined) {
      cursor.next();
      const high = readClassAtom(cursor, ranges, extra);
      if (high === undefined || high < low) cursor.fail('bad character class range');
      ranges.push([low, high]);
    } else {
      ranges.push([low, low]);
    }
  }
  const body = `${rangesToClassBody(ranges)}${extra.join('')}`;
  // RE2 refuses the empty class `[]` that `[\P{Any}]` would give.
  if (body === '') return negated ? '[\\x{0}-\\x{10ffff}]' : RE2_NOTHING;
  const set = `[${negated ? '^' : ''}${body}]`;
  return flags.i ? `(?i:${set})` : set;
}

/** One class member: a single code point (returned) or a class escape (added to the lists). */
function readClassAtom(cursor: Re2Cursor, ranges: Range[], extra: string[]): number | undefined {
  const char = cursor.next();
  if (char !== '\\') return char.codePointAt(0) ?? 0;
  if (cursor.eof()) cursor.fail('trailing \\');
  const letter = cursor.next();
  const perl = perlClass(letter);
  if (perl !== undefined) {
    ranges.push(...perl);
    return undefined;
  }
  if (letter === 'p' || letter === 'P') {
    extra.push(readUnicodeClass(cursor, letter));
    return undefined;
  }
  const point = readCharEscape(cursor, letter);
  if (point === undefined) cursor.fail(`invalid escape sequence: \\${letter}`);
  return point;
}
