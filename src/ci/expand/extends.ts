/**
 * `extends`, the first step after includes. Follows GitLab's Config::Extendable
 * (lib/gitlab/ci/config/extendable/entry.rb; docs: "extends" in ci/yaml/_index and "Use extends
 * to reuse configuration sections" in ci/yaml/yaml_optimization):
 * - every top-level hash with an `extends` key is extended, hidden or not;
 * - parents are merged in the order listed, later parents win, the entry itself wins last;
 * - hashes merge deeply, anything else is replaced (mergeCiMaps);
 * - per entry, GitLab checks in this order: unknown parents, parents that are not hashes,
 *   nesting depth, then cycles; parents are then resolved depth first.
 * `!reference` tags are not looked at here: GitLab resolves them after `extends` (Config#build_config).
 */
import { ConfigError } from '../../errors.js';
import type { CiLimits } from '../limits.js';
import { mergeCiMaps } from '../merge.js';
import { copyLocation, locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { hasMapEntry, omitMapEntries, readMapEntry, setMapEntry } from './ci-map.js';
import { entryError } from './entry-error.js';

/** Returns a new configuration whose extending entries are merged with their parents, without `extends`. */
export function resolveExtends(config: CiMap, limits: Pick<CiLimits, 'maxExtendsDepth'>): CiMap {
  const resolver = new ExtendsResolver(config, limits.maxExtendsDepth);
  const result: CiMap = {};
  for (const [key, value] of Object.entries(config)) {
    setMapEntry(result, key, isExtensible(value) ? resolver.resolve(key, []).map : value);
  }
  return copyLocation(config, result);
}

interface ResolvedEntry {
  readonly map: CiMap;
  /**
   * How many `extends` edges below this entry the deepest entry that itself extends sits (0: only
   * this one; -1: this entry does not extend). Lets a memoized entry reached at a greater depth
   * still fail the depth check where GitLab, which re-walks every path, would fail it.
   */
  readonly reach: number;
}

class ExtendsResolver {
  // Per call, never shared between configurations.
  private readonly resolved = new Map<string, ResolvedEntry>();

  constructor(
    private readonly config: CiMap,
    private readonly maxDepth: number,
  ) {}

  resolve(key: string, ancestors: readonly string[]): ResolvedEntry {
    const known = this.resolved.get(key);
    if (known !== undefined && (known.reach < 0 || ancestors.length + known.reach < this.maxDepth)) return known;
    const value = readMapEntry(this.config, key);
    if (!isExtensible(value)) return { map: isMap(value) ? value : {}, reach: -1 };

    const parents = this.parentsOf(key, value);
    this.checkEntry(key, value, parents, ancestors);
    const bases = parents.map((parent) => this.resolve(parent, [...ancestors, key]));
    // `merged.deep_merge!(h)` one parent at a time, then the entry: a fold of pairs, because
    // mergeCiMaps over many maps at once differs when a key changes kind along the way.
    const merged = [...bases.map((base) => base.map), value].reduce((left, right) => mergeCiMaps(left, right), {});
    const entry: ResolvedEntry = {
      // `value` holds `extends` and wins the merge, so this always copies: inputs stay untouched.
      map: omitMapEntries(merged, ['extends']),
      reach: Math.max(0, ...bases.filter((base) => base.reach >= 0).map((base) => base.reach + 1)),
    };
    this.resolved.set(key, entry);
    return entry;
  }

  private parentsOf(key: string, value: CiMap): string[] {
    const names = readMapEntry(value, 'extends');
    if (names === null || names === undefined) return [];
    if (typeof names === 'string') return [names];
    // GitLab stringifies each item (`Array(extends).map(&:to_s)`), so `extends: [1]` names key "1".
    if (isSeq(names) && names.every((name) => typeof name === 'string' || typeof name === 'number')) {
      return names.map(String);
    }
    // Processable entry validation: `validates :extends, array_of_strings_or_string: true`.
    throw entryError('extends-type', `jobs:${key} extends`, 'should be an array of strings or a string', locationOfKey(value, 'extends'));
  }

  private checkEntry(key: string, value: CiMap, parents: readonly string[], ancestors: readonly string[]): void {
    const location = locationOfKey(value, 'extends') ?? locationOfKey(this.config, key);
    const unknown = parents.filter((parent) => !hasMapEntry(this.config, parent));
    if (unknown.length > 0) {
      throw new ConfigError('extends-unknown', `${key}: unknown keys in \`extends\` (${unknown.join(', ')})`, {
        location,
        hint: 'Each name in extends must be a job or hidden job (.name) of the merged configuration, includes resolved.',
      });
    }
    const invalid = parents.filter((parent) => !isMap(readMapEntry(this.config, parent)));
    if (invalid.length > 0) {
      throw new ConfigError('extends-invalid-base', `${key}: invalid base hashes in \`extends\` (${invalid.join(', ')})`, {
        location,
      });
    }
    // GitLab: `ancestors.count > MAX_NESTING_LEVELS` (10), i.e. eleven levels of inheritance allowed.
    if (ancestors.length >= this.maxDepth) {
      throw new ConfigError('extends-too-deep', `${key}: nesting too deep in \`extends\``, {
        location,
        hint: `The chain is ${[...ancestors, key].join(' → ')}; GitLab allows ${this.maxDepth} levels of extends.`,
      });
    }
    const first = ancestors.indexOf(key);
    if (first >= 0) {
      const chain = [...ancestors.slice(first), key].join(' → ');
      throw new ConfigError('extends-cycle', `${key}: circular dependency detected in \`extends\` (${chain})`, { location });
    }
  }
}

function isExtensible(value: CiValue | undefined): value is CiMap {
  return isMap(value) && hasMapEntry(value, 'extends');
}
