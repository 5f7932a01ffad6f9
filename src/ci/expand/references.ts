/**
 * `!reference [.job, key, subkey...]` tags, resolved after `extends` against the merged
 * configuration, as GitLab's Config::Yaml::Tags::Resolver does (docs: "!reference tags" in
 * ci/yaml/yaml_optimization; code: lib/gitlab/ci/config/yaml/tags/reference.rb and base.rb):
 * - the path is looked up with `dig` in the configuration as it was before any tag was resolved,
 *   so a path that runs through another tag, a string or a list is not found;
 * - the target is resolved in turn (nested references), each tag once (its value is reused);
 * - a missing target, or one whose value is null or false, is "could not be found";
 * - a tag met again while it is being resolved is "part of a circular chain";
 * - a tag inside a list is replaced by its value in place, so a list target becomes a nested
 *   list; `script`-like keywords and `rules` flatten it later (see scripts.ts).
 */
import { ConfigError } from '../../errors.js';
import type { CiLimits } from '../limits.js';
import { copyLocation, locationOf } from '../positions.js';
import { CiReferenceTag, isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { readMapEntry, setMapEntry } from './ci-map.js';

/** Returns a new configuration without `!reference` tags. Unchanged subtrees are shared, not copied. */
export function resolveReferences(config: CiMap, limits: Pick<CiLimits, 'maxReferenceDepth'>): CiMap {
  const resolved = new ReferenceResolver(config, limits.maxReferenceDepth).resolveValue(config);
  // A tag cannot stand for the whole configuration, so the result is still a map.
  return resolved as CiMap;
}

class ReferenceResolver {
  // Per call: tags being resolved (innermost last), and the values of finished tags.
  private readonly inProgress: CiReferenceTag[] = [];
  private readonly finished = new Map<CiReferenceTag, CiValue>();
  /**
   * How deeply each finished tag nests (1: its target holds no tag). Kept with the value, so
   * the depth limit does not depend on which tag the walk happened to resolve first.
   */
  private readonly heights = new Map<CiReferenceTag, number>();
  /** For each tag in progress, the greatest height among the tags its target holds so far. */
  private readonly innerHeights: number[] = [];

  constructor(
    private readonly config: CiMap,
    private readonly maxDepth: number,
  ) {}

  resolveValue(value: CiValue): CiValue {
    if (value instanceof CiReferenceTag) return this.resolveTag(value);
    if (isSeq(value)) {
      const items = value.map((item) => this.resolveValue(item));
      return items.every((item, index) => item === value[index]) ? value : copyLocation(value, items);
    }
    if (isMap(value)) {
      let changed = false;
      const entries = Object.entries(value).map(([key, item]) => {
        const resolved = this.resolveValue(item);
        changed ||= resolved !== item;
        return [key, resolved] as const;
      });
      if (!changed) return value;
      const copy: CiMap = {};
      for (const [key, item] of entries) setMapEntry(copy, key, item);
      return copyLocation(value, copy);
    }
    return value;
  }

  private resolveTag(tag: CiReferenceTag): CiValue {
    const done = this.finished.get(tag);
    if (done !== undefined) {
      this.noteHeight(this.heights.get(tag) ?? 1);
      return done;
    }
    const start = this.inProgress.indexOf(tag);
    if (start >= 0) {
      const chain = [...this.inProgress.slice(start), tag].map((item) => `[${item.path.join(', ')}]`).join(' → ');
      throw new ConfigError('reference-cycle', `${describeTag(tag)} is part of a circular chain (${chain})`, {
        location: locationOf(tag),
      });
    }
    // The outermost tag of the chain is the one a user wrote and can change.
    if (this.inProgress.length >= this.maxDepth) throw this.tooDeep(this.inProgress[0] ?? tag);
    this.inProgress.push(tag);
    this.innerHeights.push(0);
    const target = this.lookUp(tag.path);
    const value = target === undefined ? undefined : this.resolveValue(target);
    this.inProgress.pop();
    const height = 1 + (this.innerHeights.pop() ?? 0);
    if (height > this.maxDepth) throw this.tooDeep(tag);
    // Reference#_resolve: `raise MissingReferenceError unless value`, so null and false count as missing.
    if (value === undefined || value === null || value === false) {
      throw new ConfigError('reference-missing', `${describeTag(tag)} could not be found`, {
        location: locationOf(tag),
        hint: 'The path must name a job or hidden job and keys of the merged configuration, extends applied.',
      });
    }
    this.finished.set(tag, value);
    this.heights.set(tag, height);
    this.noteHeight(height);
    return value;
  }

  private noteHeight(height: number): void {
    const last = this.innerHeights.length - 1;
    if (last >= 0) this.innerHeights[last] = Math.max(this.innerHeights[last] ?? 0, height);
  }

  // GitLab documents nesting up to 10 levels ("Nest !reference tags"); deeper chains are refused.
  private tooDeep(tag: CiReferenceTag): ConfigError {
    return new ConfigError('reference-too-deep', `${describeTag(tag)} is nested more than ${this.maxDepth} levels deep`, {
      location: locationOf(tag),
      hint: 'Each !reference whose target holds another !reference adds a level.',
    });
  }

  /** Ruby's `config.dig(*path)`: only hashes can be walked; anything else ends the lookup. */
  private lookUp(path: readonly string[]): CiValue | undefined {
    let current: CiValue | undefined = this.config;
    for (const segment of path) {
      if (!isMap(current)) return undefined;
      current = readMapEntry(current, segment);
    }
    return current;
  }
}

/** How GitLab prints a tag in messages: `!reference [".setup", "script"]` (Ruby's Array#inspect). */
function describeTag(tag: CiReferenceTag): string {
  return `!reference [${tag.path.map((segment) => JSON.stringify(segment)).join(', ')}]`;
}
