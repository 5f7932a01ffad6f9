/**
 * YAML text → value tree with positions. Parses as YAML 1.1, as GitLab's Psych does (so `<<`
 * merge keys work and `on`/`yes` are booleans), expands aliases with a budget so alias bombs end
 * in an error instead of exhausting memory, and understands GitLab's `!reference` tag.
 */
import {
  Alias,
  isAlias,
  isMap as isYamlMap,
  isPair,
  isScalar as isYamlScalar,
  isSeq as isYamlSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type ScalarTag,
  type CollectionTag,
  type Tags,
  YAMLSeq,
} from 'yaml';
import { ConfigError, type SourceLocation } from '../errors.js';
import type { CiLimits } from './limits.js';
import { setKeyLocation, setLocation } from './positions.js';
import { CiReferenceTag, isMap, setEntry, type CiMap, type CiValue } from './value.js';

export interface ParsedCiFile {
  /** The `spec:` header document, when the file has one (`spec:` + `---` + content). */
  readonly spec: CiMap | undefined;
  /** The configuration itself; `{}` for an empty file. */
  readonly content: CiMap;
  /** False when the file holds no configuration at all (empty, or comments only). */
  readonly hasContent: boolean;
}

type ParseLimits = Pick<CiLimits, 'maxFileBytes' | 'maxYamlDepth' | 'maxAliasCount' | 'maxExpandedNodes'>;

// Registered only so the parser accepts the tag; the walk below builds CiReferenceTag itself.
const referenceTag: CollectionTag = {
  tag: '!reference',
  collection: 'seq',
  nodeClass: YAMLSeq,
  resolve: (value) => value,
};

// Psych (GitLab's YAML loader) reads only yes/true/on and no/false/off, in any case, as
// booleans; YAML 1.1's y/n are strings there, so `y:` stays a key named "y".
const psychBooleans: ScalarTag[] = [
  {
    tag: 'tag:yaml.org,2002:bool',
    default: true,
    test: /^(?:yes|true|on)$/i,
    resolve: () => true,
  },
  {
    tag: 'tag:yaml.org,2002:bool',
    default: true,
    test: /^(?:no|false|off)$/i,
    resolve: () => false,
  },
];

const customTags = (defaults: Tags): Tags => [
  ...defaults.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:bool'),
  ...psychBooleans,
  referenceTag,
];

/** Parses one CI file. `file` is the name used in messages (a path, or `project:path@ref`). */
export function parseCiFile(text: string, file: string, limits: ParseLimits): ParsedCiFile {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    throw new ConfigError(
      'file-too-large',
      // The location names the file; the message does not repeat it.
      `the file is ${bytes} bytes, more than the limit of ${limits.maxFileBytes} bytes`,
      { location: { file }, hint: 'Split the file with include:.' },
    );
  }
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    version: '1.1',
    customTags,
    merge: true,
    uniqueKeys: false, // Psych keeps the last of duplicate keys; so do we.
    lineCounter,
    prettyErrors: false,
  });
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) reportYamlProblems(document, file, lineCounter);

  const walker = new TreeBuilder(file, lineCounter, limits);
  const values = list.map((document) => walker.build(document));
  if (values.length > 2) {
    throw new ConfigError('yaml-documents', `${file}: a CI file may hold at most two YAML documents (spec: header and content)`, {
      location: walker.locate(list[2]?.contents ?? null),
    });
  }
  if (values.length === 2) {
    const header = values[0];
    if (!isMap(header) || !('spec' in header)) {
      throw new ConfigError('yaml-header', `${file}: the first of two YAML documents must be a spec: header`, {
        location: walker.locate(list[0]?.contents ?? null),
      });
    }
    return { spec: header, ...asContent(values[1], file, walker, list[1]) };
  }
  return { spec: undefined, ...asContent(values[0], file, walker, list[0]) };
}

function asContent(
  value: CiValue | undefined,
  file: string,
  walker: TreeBuilder,
  document: Document.Parsed | undefined,
): { content: CiMap; hasContent: boolean } {
  if (value === undefined || value === null) return { content: {}, hasContent: false };
  if (!isMap(value)) {
    throw new ConfigError('invalid-format', 'Invalid configuration format', {
      location: walker.locate(document?.contents ?? null) ?? { file },
      hint: 'A CI file must be a YAML mapping of keywords and job names.',
    });
  }
  return { content: value, hasContent: true };
}

function reportYamlProblems(document: Document.Parsed, file: string, lineCounter: LineCounter): void {
  const problem = document.errors[0];
  if (problem === undefined) return;
  const position = problem.linePos?.[0] ?? lineCounter.linePos(problem.pos[0]);
  // The library appends " at line L, column C:" and a code frame; the location carries both.
  const message = (problem.message.split('\n')[0] ?? problem.message).replace(/ at line \d+, column \d+:?$/, '');
  throw new ConfigError('yaml-syntax', `YAML syntax error: ${message}`, {
    location: { file, line: position.line, column: position.col },
  });
}

/** Turns yaml's node tree into plain values, recording positions and counting alias expansion. */
class TreeBuilder {
  private expandedNodes = 0;
  private aliasCount = 0;
  /** The alias written in the document whose expansion is under way: errors point there. */
  private outermostAlias: Alias | undefined;

  constructor(
    private readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly limits: ParseLimits,
  ) {}

  build(document: Document.Parsed): CiValue | undefined {
    this.aliasCount = 0;
    this.expandedNodes = 0;
    if (document.contents === null) return undefined;
    return this.convert(document.contents as YamlNode, document, 0);
  }

  locate(node: unknown): SourceLocation | undefined {
    const range = (node as { range?: readonly number[] } | null)?.range;
    if (range?.[0] === undefined) return undefined;
    const { line, col } = this.lineCounter.linePos(range[0]);
    return { file: this.file, line, column: col };
  }

  private convert(node: YamlNode, document: Document.Parsed, depth: number): CiValue {
    if (depth > this.limits.maxYamlDepth) {
      throw new ConfigError('yaml-too-deep', `the YAML document is nested more than ${this.limits.maxYamlDepth} levels deep`, {
        location: this.locate(node),
      });
    }
    this.expandedNodes += 1;
    if (this.expandedNodes > this.limits.maxExpandedNodes) {
      throw new ConfigError(
        'yaml-too-large',
        `the YAML document expands to more than ${this.limits.maxExpandedNodes} nodes (an alias bomb?)`,
        { location: this.locate(this.outermostAlias ?? node), hint: 'Reduce the use of anchors and aliases.' },
      );
    }
    if (isAlias(node)) return this.convertAlias(node, document, depth);
    if (isYamlScalar(node)) {
      if (node.tag !== undefined && node.tag.startsWith('!') && node.tag !== '!reference') {
        throw this.unknownTag(node.tag, node);
      }
      return scalarValue(node.value);
    }
    if (isYamlSeq(node)) {
      if (node.tag === '!reference') return this.convertReference(node);
      if (node.tag !== undefined && node.tag.startsWith('!')) throw this.unknownTag(node.tag, node);
      const items: CiValue[] = node.items.map((item) => this.convert(item as YamlNode, document, depth + 1));
      const location = this.locate(node);
      if (location) setLocation(items, location);
      return items;
    }
    if (isYamlMap(node)) {
      if (node.tag !== undefined && node.tag.startsWith('!')) throw this.unknownTag(node.tag, node);
      return this.convertMap(node.items, node, document, depth);
    }
    throw new ConfigError('yaml-node', `${this.file}: unsupported YAML node`, { location: this.locate(node) });
  }

  private convertAlias(node: Alias, document: Document.Parsed, depth: number): CiValue {
    this.aliasCount += 1;
    const outermost = this.outermostAlias === undefined;
    if (outermost) this.outermostAlias = node;
    try {
      if (this.aliasCount > this.limits.maxAliasCount) {
        throw new ConfigError('yaml-aliases', `the YAML document uses more than ${this.limits.maxAliasCount} aliases`, {
          location: this.locate(this.outermostAlias),
          hint: 'Aliases are counted as they expand; deeply nested aliases multiply.',
        });
      }
      const target = node.resolve(document);
      if (target === undefined) {
        throw new ConfigError('yaml-alias', `${this.file}: unknown YAML anchor *${node.source}`, { location: this.locate(node) });
      }
      // Each use gets its own copy: later stages may merge into one use without touching the others.
      return this.convert(target as YamlNode, document, depth);
    } finally {
      if (outermost) this.outermostAlias = undefined;
    }
  }

  private convertReference(node: YAMLSeq): CiReferenceTag {
    const path = node.items.map((item) => {
      if (isYamlScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
        return String(item.value);
      }
      throw new ConfigError('reference-syntax', '!reference must be a sequence of strings, e.g. !reference [.job, script]', {
        location: this.locate(item) ?? this.locate(node),
      });
    });
    if (path.length === 0) {
      throw new ConfigError('reference-syntax', '!reference needs at least a job or keyword name', { location: this.locate(node) });
    }
    const tag = new CiReferenceTag(path);
    const location = this.locate(node);
    if (location) setLocation(tag, location);
    return tag;
  }

  private convertMap(pairs: readonly unknown[], node: YamlNode, document: Document.Parsed, depth: number): CiMap {
    const map: CiMap = {};
    const merged: CiMap[] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      if (isMergeKey(keyNode)) {
        merged.push(...this.mergeSources(pair.value as YamlNode | null, document, depth));
        continue;
      }
      const key = this.keyText(keyNode);
      const value = pair.value === null ? null : this.convert(pair.value as YamlNode, document, depth + 1);
      // setEntry keeps keys like "__proto__" as plain data.
      setEntry(map, key, value);
      const location = this.locate(keyNode);
      if (location) setKeyLocation(map, key, location);
    }
    // YAML 1.1 merge keys: explicit keys win, and earlier merge sources win over later ones.
    for (const source of merged) {
      for (const [key, value] of Object.entries(source)) {
        if (!Object.prototype.hasOwnProperty.call(map, key)) {
          setEntry(map, key, value);
        }
      }
    }
    const location = this.locate(node);
    if (location) setLocation(map, location);
    return map;
  }

  private mergeSources(value: YamlNode | null, document: Document.Parsed, depth: number): CiMap[] {
    if (value === null) return [];
    const nodes = isYamlSeq(value) ? (value.items as YamlNode[]) : [value];
    return nodes.map((item) => {
      const converted = this.convert(item, document, depth + 1);
      if (!isMap(converted)) {
        throw new ConfigError('yaml-merge', `${this.file}: a << merge key needs a mapping or a list of mappings`, {
          location: this.locate(item),
        });
      }
      return converted;
    });
  }

  private keyText(keyNode: YamlNode | null): string {
    if (keyNode === null) return '';
    if (isYamlScalar(keyNode)) return keyNode.value === null ? '' : String(keyNode.value);
    throw new ConfigError('yaml-key', `${this.file}: mapping keys must be scalars`, { location: this.locate(keyNode) });
  }

  private unknownTag(tag: string, node: YamlNode): ConfigError {
    return new ConfigError('yaml-tag', `${this.file}: unknown YAML tag ${tag}`, {
      location: this.locate(node),
      hint: 'GitLab CI supports only the !reference tag.',
    });
  }
}

function isMergeKey(node: YamlNode | null): boolean {
  if (!isYamlScalar(node)) return false;
  const value: unknown = node.value;
  return (typeof value === 'symbol' && value.description === '<<') || (value === '<<' && node.type === 'PLAIN');
}

function scalarValue(value: unknown): CiValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}
