/**
 * A YAML writer for the value trees we emit (plain maps, sequences, strings, numbers, booleans,
 * null), giving byte for byte what `yaml`'s `stringify(value, YAML_WRITER_OPTIONS)` gives, without
 * building a Document of nodes first: on the 500-job bench that Document and its garbage were a
 * third of compose's time. The rules below follow yaml 2.x's stringifier for these options (block
 * style, YAML 1.1 schema, no line folding); test/emit/yaml-writer.test.ts compares both on every
 * compose fixture and on generated values, so a `yaml` upgrade that changes its output fails there.
 *
 * Shapes the writer does not cover (a key longer than 1024 characters, which yaml writes as an
 * explicit `? key`) make it return undefined, and the caller falls back to `yaml` itself.
 */
import { Document, type ToStringOptions } from 'yaml';
import { InternalError } from '../errors.js';

/** The options our emitter has always given `yaml`'s stringify. */
export const YAML_WRITER_OPTIONS = {
  version: '1.1', // GitLab reads YAML 1.1: strings like "on" or "yes" must come out quoted.
  lineWidth: 0,
  aliasDuplicateObjects: false,
  indentSeq: true,
} as const satisfies ToStringOptions & { version: '1.1'; aliasDuplicateObjects: false };

const INDENT_STEP = '  ';
/** yaml's `doubleQuotedMinMultiLineLength` default: shorter double-quoted strings keep `\n` escapes. */
const DOUBLE_QUOTED_MIN_MULTI_LINE = 40;
/** yaml writes a longer implicit key as an explicit `? key`; we leave that to yaml. */
const MAX_IMPLICIT_KEY = 1024;

/**
 * The plain scalars a YAML 1.1 reader would take for something other than a string (null, bools,
 * ints, floats, timestamps, `<<`): taken from yaml's own 1.1 schema so the two cannot disagree.
 */
const NON_STRING_TESTS: readonly RegExp[] = new Document(null, { version: '1.1' }).schema.tags.flatMap((tag) =>
  tag.default && tag.tag !== 'tag:yaml.org,2002:str' && 'test' in tag && tag.test instanceof RegExp ? [tag.test] : [],
);

// Characters yaml always double-quotes: C0/C1 controls except tab and newline, lone surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
// Strings that cannot be plain: a leading indicator, "- " / "? ", ": ", " #", trailing space or colon...
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// A line starting like a directive or a document marker.
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

class Unsupported extends Error {}

/** `value` as YAML, or undefined when it holds a shape the writer leaves to `yaml` (see above). */
export function writeYaml(value: Readonly<Record<string, unknown>>): string | undefined {
  const writer = new Writer();
  try {
    writer.map(value, '');
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return `${writer.text}\n`;
}

class Writer {
  text = '';
  /** Single-line strings are written the same way at any depth, so each is worked out once. */
  private readonly valueCache = new Map<string, string>();

  /** A map whose first line the caller has started; further lines start at `indent`. */
  map(map: Readonly<Record<string, unknown>>, indent: string): void {
    const inner = indent + INDENT_STEP;
    let first = true;
    for (const key of Object.keys(map)) {
      const value = map[key];
      if (value === undefined) continue; // as yaml: an undefined value drops the pair
      if (!first) this.text += `\n${indent}`;
      first = false;
      const keyText = this.key(key, inner);
      if (keyText.length > MAX_IMPLICIT_KEY) throw new Unsupported();
      this.text += `${keyText}:`;
      if (isCollection(value)) {
        if (isEmpty(value)) this.text += Array.isArray(value) ? ' []' : ' {}';
        else {
          this.text += `\n${inner}`;
          this.collection(value, inner);
        }
      } else {
        this.text += ` ${this.scalar(value, inner)}`;
      }
    }
    if (first) this.text += '{}';
  }

  private sequence(items: readonly unknown[], indent: string): void {
    const inner = indent + INDENT_STEP;
    for (let index = 0; index < items.length; index += 1) {
      if (index > 0) this.text += `\n${indent}`;
      this.text += '- ';
      const item = items[index];
      if (isCollection(item)) {
        if (isEmpty(item)) this.text += Array.isArray(item) ? '[]' : '{}';
        else this.collection(item, inner);
      } else {
        this.text += this.scalar(item ?? null, inner);
      }
    }
  }

  private collection(value: object, indent: string): void {
    if (Array.isArray(value)) this.sequence(value, indent);
    else this.map(value as Record<string, unknown>, indent);
  }

  private key(key: string, indent: string): string {
    if (key === '<<') return key; // yaml writes the merge key bare, as it does the string "<<"
    if (FORCE_DOUBLE.test(key)) return doubleQuoted(key, indent, true);
    return plainOrQuoted(key, indent, true);
  }

  private scalar(value: unknown, indent: string): string {
    if (value === null) return 'null';
    if (value === true) return 'true';
    if (value === false) return 'false';
    if (typeof value === 'number') return numberText(value);
    if (typeof value !== 'string') throw new InternalError('unresolved-tag', 'a !reference tag reached the emitter unresolved');
    if (value.includes('\n')) return stringText(value, indent);
    let text = this.valueCache.get(value);
    if (text === undefined) {
      text = stringText(value, indent);
      this.valueCache.set(value, text);
    }
    return text;
  }
}

function isCollection(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return true;
  throw new InternalError('unresolved-tag', 'a !reference tag reached the emitter unresolved');
}

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key) && (value as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/** A string value (never a key) at `indent`. */
function stringText(value: string, indent: string): string {
  if (value === '<<') return value;
  if (FORCE_DOUBLE.test(value)) return doubleQuoted(value, indent, false);
  return plainOrQuoted(value, indent, false);
}

/** yaml's choice for a string without a given style: plain when it reads back as the same string. */
function plainOrQuoted(value: string, indent: string, implicitKey: boolean): string {
  const multiLine = value.includes('\n');
  if (implicitKey && multiLine) return quoted(value, indent, implicitKey);
  if (NOT_PLAIN.test(value)) return implicitKey || !multiLine ? quoted(value, indent, implicitKey) : blockLiteral(value, indent);
  if (multiLine) return blockLiteral(value, indent);
  // A top-level key like "---x" would read as a document marker.
  if (implicitKey && indent === INDENT_STEP && DOCUMENT_MARKER.test(value)) return quoted(value, indent, implicitKey);
  for (const test of NON_STRING_TESTS) if (test.test(value)) return quoted(value, indent, implicitKey);
  return value;
}

/** Single quotes when the string holds double quotes only, else double quotes. */
function quoted(value: string, indent: string, implicitKey: boolean): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  if (hasDouble && !hasSingle) return singleQuoted(value, indent, implicitKey);
  return doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  // A single-quoted line break cannot keep spaces beside it.
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuoted(value, indent, implicitKey);
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`)}'`;
}

/**
 * JSON's escapes with YAML's short forms for some control characters; in a value of 40 or more
 * characters, a line break is written as a real (folded) line break, as yaml does.
 */
function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  let text = '';
  let start = 0;
  for (let index = 0; index < json.length; index += 1) {
    let char = json[index];
    if (char === ' ' && json[index + 1] === '\\' && json[index + 2] === 'n') {
      // A space before a folded line break would be lost: escape it.
      text += `${json.slice(start, index)}\\ `;
      index += 1;
      start = index;
      char = '\\';
    }
    if (char !== '\\') continue;
    const next = json[index + 1];
    if (next === 'u') {
      text += json.slice(start, index);
      const code = json.substring(index + 2, index + 6);
      text += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.substring(2)}` : json.substring(index, index + 6));
      index += 5;
      start = index + 1;
    } else if (next === 'n') {
      if (implicitKey || json[index + 2] === '"' || json.length < DOUBLE_QUOTED_MIN_MULTI_LINE) {
        index += 1;
      } else {
        // Folding eats the first line break, so it is written twice.
        text += `${json.slice(start, index)}\n\n`;
        while (json[index + 2] === '\\' && json[index + 3] === 'n' && json[index + 4] !== '"') {
          text += '\n';
          index += 2;
        }
        text += indent;
        // A space after a folded line break would be lost: escape it.
        if (json[index + 2] === ' ') text += '\\';
        index += 1;
        start = index + 1;
      }
    } else {
      index += 1;
    }
  }
  return start > 0 ? text + json.slice(start) : json;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

/** A multi-line string as a literal block `|`, with the chomping and indentation indicators it needs. */
function blockLiteral(original: string, indent: string): string {
  // A block cannot end in a line of only spaces: quote it.
  if (/\n[\t ]+$/.test(original)) return quoted(original, indent, false);
  let value = original;
  let endStart = value.length;
  while (endStart > 0) {
    const char = value[endStart - 1];
    if (char !== '\n' && char !== '\t' && char !== ' ') break;
    endStart -= 1;
  }
  let end = value.substring(endStart);
  const endNewline = end.indexOf('\n');
  // strip (no final line break), keep (several, or nothing else), clip (exactly one)
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  // Leading spaces on the first line need an explicit indentation indicator.
  let startsWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < value.length; startEnd += 1) {
    const char = value[startEnd];
    if (char === ' ') startsWithSpace = true;
    else if (char === '\n') startNewline = startEnd;
    else break;
  }
  let start = value.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startsWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
