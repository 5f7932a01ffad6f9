/**
 * `$[[ inputs.name | fn ]]` interpolation over a file's content, keys and values
 * (Interpolation::Template, Block, Access). A string that is exactly one block takes the value
 * with its type (docs "ci/inputs/#input-types"); blocks inside a larger string are written as text.
 */
import type { Variables } from '../../context.js';
import { copyLocation, locationOfKey, setKeyLocation } from '../../positions.js';
import { CiReferenceTag, isMap, type CiMap, type CiValue } from '../../value.js';
import { formatInterpolated } from './format-value.js';
import { buildFunctions } from './functions.js';

const blockPattern = /\$\[\[\s*(\S.*?\S)\s*\]\]/g; // Template::BLOCK_REGEXP
const maxBlocks = 10_000;
const maxFunctions = 3;
const maxAccessObjects = 5;
const maxAccessBytes = 1024;

export type InterpolationOutcome = { readonly ok: true; readonly content: CiMap } | { readonly ok: false; readonly errors: readonly string[] };

type BlockResult = { readonly ok: true; readonly value: CiValue } | { readonly ok: false; readonly errors: readonly string[] };

class StopInterpolation extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join(', '));
  }
}

/** `context` holds `inputs` (and `component` for components): what blocks may access. */
export function interpolate(content: CiMap, context: CiMap, variables: Variables): InterpolationOutcome {
  const blocks = new Map<string, BlockResult>();
  const evaluate = (block: string, data: string): CiValue => {
    let result = blocks.get(block);
    if (result === undefined) {
      result = evaluateBlock(data, context, variables);
      blocks.set(block, result);
      if (blocks.size > maxBlocks) throw new StopInterpolation(['too many interpolation blocks']);
    }
    if (!result.ok) throw new StopInterpolation(result.errors);
    return result.value;
  };
  try {
    return { ok: true, content: replaceMap(content, (text) => replaceString(text, evaluate)) };
  } catch (error) {
    if (error instanceof StopInterpolation) return { ok: false, errors: error.errors };
    throw error;
  }
}

type Replace = (text: string) => CiValue;

function replaceValue(value: CiValue, replace: Replace): CiValue {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return copyLocation(value, value.map((item) => replaceValue(item, replace)));
  if (isMap(value)) return replaceMap(value, replace);
  return value; // scalars and !reference tags are not text in GitLab's loaded YAML
}

function replaceMap(map: CiMap, replace: Replace): CiMap {
  const result: CiMap = {};
  for (const [key, value] of Object.entries(map)) {
    const replacedKey = replace(key);
    const newKey = typeof replacedKey === 'string' ? replacedKey : formatInterpolated(replacedKey);
    Object.defineProperty(result, newKey, { value: replaceValue(value, replace), enumerable: true, writable: true, configurable: true });
    const keyLocation = locationOfKey(map, key);
    if (newKey !== key && keyLocation !== undefined) setKeyLocation(result, newKey, keyLocation);
  }
  return copyLocation(map, result);
}

function replaceString(text: string, evaluate: (block: string, data: string) => CiValue): CiValue {
  if (!text.includes('$[[')) return text;
  const matches = [...text.matchAll(blockPattern)];
  if (matches.length === 0) return text;
  const values = matches.map((match) => ({ block: match[0], value: evaluate(match[0], match[1] ?? '') }));
  const only = values[0];
  // Template#used_inside_a_string?: one block that is the whole node keeps its type.
  if (values.length === 1 && only !== undefined && only.block.length === text.length) return only.value;
  let result = text;
  for (const { block, value } of values) result = result.replaceAll(block, formatInterpolated(value));
  return result;
}

/** Interpolation::Block: `<access> | <function> | ...`, at most three functions. */
function evaluateBlock(data: string, context: CiMap, variables: Variables): BlockResult {
  const [access = '', ...functions] = data.split('|').map((part) => part.trim());
  const accessed = evaluateAccess(access, context);
  if (!accessed.ok) return accessed;
  if (functions.length > maxFunctions) return { ok: false, errors: ['too many functions in interpolation block'] };
  const stack = buildFunctions(functions);
  if (typeof stack === 'string') return { ok: false, errors: [stack] };
  let value = accessed.value;
  for (const apply of stack) {
    const result = apply(value, variables);
    if (!result.ok) return { ok: false, errors: [result.error] };
    value = result.value;
  }
  return { ok: true, value };
}

/** Interpolation::Access: `inputs.name`, split on dots (at most five parts). */
function evaluateAccess(access: string, context: CiMap): BlockResult {
  const objects = splitLimited(access, '.', maxAccessObjects);
  const errors: string[] = [];
  if (objects.length <= 1) errors.push('invalid interpolation access pattern');
  if (Buffer.byteLength(access, 'utf8') > maxAccessBytes) errors.push('maximum interpolation expression size exceeded');
  if (errors.length > 0) return { ok: false, errors };
  let current: CiValue = context;
  for (const key of objects) {
    if (!isMap(current) || !Object.prototype.hasOwnProperty.call(current, key) || current instanceof CiReferenceTag) {
      return { ok: false, errors: [`unknown interpolation key: \`${key}\``] };
    }
    current = current[key] ?? null;
  }
  return { ok: true, value: current };
}

/** Ruby's `split(separator, limit)`: the last part keeps the remaining separators. */
function splitLimited(text: string, separator: string, limit: number): string[] {
  const parts = text.split(separator);
  if (parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(separator)];
}
