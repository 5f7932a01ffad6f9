/**
 * `spec:inputs` + the values given (`include:inputs`, or pipeline inputs) → the value of every
 * input, or GitLab's error messages (Ci::Inputs::Builder, BaseInput and its four types).
 * docs "ci/inputs/#input-configuration".
 */
import { compileRe2 } from '../../expression/re2.js';
import type { LinearPattern } from '../../linear-pattern.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../../value.js';
import { formatInterpolated } from './format-value.js';

type InputType = 'array' | 'boolean' | 'number' | 'string';
const inputTypes: readonly InputType[] = ['array', 'boolean', 'number', 'string'];

export interface InputResolution {
  readonly values: Record<string, CiValue>;
  /** GitLab's messages, in GitLab's order; empty when every input is valid. */
  readonly errors: readonly string[];
}

export function resolveInputValues(specs: CiMap, given: CiMap): InputResolution {
  const errors: string[] = [];
  const values: Record<string, CiValue> = {};
  // Interpolation::Inputs#check_if_unknown_inputs_provided! runs first in the list of errors.
  const unknown = Object.keys(given).filter((name) => !Object.prototype.hasOwnProperty.call(specs, name));
  if (unknown.length > 0) errors.push(`unknown input arguments: ${unknown.join(', ')}`);

  for (const [name, rawSpec] of Object.entries(specs)) {
    const spec: CiMap = isMap(rawSpec) ? rawSpec : {};
    const type = inputType(rawSpec);
    if (type === undefined) {
      errors.push(`unknown input specification for \`${name}\` (valid types: ${inputTypes.join(', ')})`);
      continue;
    }
    const param = Object.prototype.hasOwnProperty.call(given, name) ? (given[name] ?? null) : null;
    const hasDefault = Object.prototype.hasOwnProperty.call(spec, 'default');
    const fail = (message: string): void => {
      errors.push(`\`${name}\` input: ${message}`);
    };
    // BaseInput#validate_param!: required first; then the default, then the given value.
    if (!hasDefault && param === null) {
      fail('required value has not been provided');
      continue;
    }
    if (hasDefault) validateValue(type, spec, spec.default ?? null, true, fail);
    if (param !== null) validateValue(type, spec, param, false, fail);
    values[name] = coerce(type, param === null ? (spec.default ?? null) : param);
  }
  return { values, errors };
}

/** BaseInput.matches?: no spec or no `type` is a string input. */
function inputType(spec: CiValue | undefined): InputType | undefined {
  if (spec === null || spec === undefined) return 'string';
  if (!isMap(spec)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(spec, 'type') || spec.type === null) return 'string';
  return inputTypes.find((type) => type === spec.type);
}

/** BaseInput#coerced_value: strings are parsed as JSON when they can be; StringInput uses to_s. */
function coerce(type: InputType, value: CiValue): CiValue {
  if (value === null) return null;
  if (type === 'string') return formatInterpolated(value);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as CiValue; // JSON text is plain data: a CiValue by construction.
  } catch {
    return value;
  }
}

function validateValue(type: InputType, spec: CiMap, raw: CiValue, isDefault: boolean, fail: (message: string) => void): void {
  const value = coerce(type, raw);
  const which = isDefault ? 'default' : 'provided';
  if (type === 'number' && typeof value !== 'number') fail(`${which} value is not a number`);
  if (type === 'boolean' && typeof value !== 'boolean') fail(`${which} value is not a boolean`);
  if (type === 'array' && !isSeq(value)) fail(`${which} value is not an array`);
  validateOptions(type, spec, value, fail);
  validateRegex(type, spec, value, isDefault, fail);
}

function validateOptions(type: InputType, spec: CiMap, value: CiValue, fail: (message: string) => void): void {
  const options = spec.options;
  if (options === undefined || options === null) return;
  if (type === 'boolean' || type === 'array') {
    fail('Options can only be used with string and number inputs');
    return;
  }
  if (value === null || !isSeq(options)) return;
  if (type === 'string') {
    if (options.map((option) => formatInterpolated(option)).includes(value as string)) return;
    fail(`\`${formatInterpolated(value)}\` cannot be used because it is not in the list of allowed options`);
    return;
  }
  if (options.includes(value)) return;
  fail(`\`${formatInterpolated(value)}\` cannot be used because it is not in the list of the allowed options`);
}

function validateRegex(type: InputType, spec: CiMap, value: CiValue, isDefault: boolean, fail: (message: string) => void): void {
  if (!Object.prototype.hasOwnProperty.call(spec, 'regex')) return;
  if (type !== 'string') {
    fail('RegEx validation can only be used with string inputs');
    return;
  }
  if (typeof value !== 'string') return;
  let regexp: LinearPattern;
  try {
    // Inputs::StringInput#validate_regex: Gitlab::UntrustedRegexp, so RE2 syntax in linear time.
    regexp = compileRe2(formatInterpolated(spec.regex ?? ''));
  } catch {
    fail('invalid regular expression');
    return;
  }
  if (!regexp.test(value)) fail(`${isDefault ? 'default' : 'provided'} value does not match required RegEx pattern`);
}
