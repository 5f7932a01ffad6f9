/**
 * One file's text → its configuration: parsed, its `spec:` header checked, its inputs resolved
 * and interpolated (Gitlab::Ci::Config::Yaml::Loader + Interpolation::Interpolator).
 */
import { ConfigError, formatLocation, type SourceLocation } from '../../errors.js';
import type { Variables } from '../context.js';
import type { CiLimits } from '../limits.js';
import { parseCiFile, type ParsedCiFile } from '../parse.js';
import { isMap, isSeq, type CiMap } from '../value.js';
import { includeError } from './include-error.js';
import { resolveInputValues } from './inputs/input-values.js';
import { interpolate } from './inputs/interpolate.js';

export interface ContentRequest {
  readonly text: string;
  /** How messages name the file. */
  readonly fileName: string;
  /** `include:inputs` (or pipeline inputs for the main file); undefined when none were given. */
  readonly inputs: CiMap | undefined;
  /** The main file reports errors without the `file`: prefix GitLab gives included files. */
  readonly isMain: boolean;
  /** Variables for the `expand_vars` function. */
  readonly variables: Variables;
  readonly limits: CiLimits;
  /** `$[[ component.* ]]` values, for component templates. */
  readonly component: CiMap | undefined;
  /** The include entry, where errors point. */
  readonly location: SourceLocation | undefined;
}

const headerKeys = new Set(['inputs', 'component', 'include']);
const inputKeys = new Set(['default', 'description', 'options', 'regex', 'type', 'rules']);
const componentValues = new Set(['name', 'sha', 'version', 'reference']); // Header::Component::ALLOWED_VALUES

export function loadContent(request: ContentRequest): CiMap {
  const parsed = parseFile(request);
  const fail = (messages: readonly string[]): ConfigError => {
    const text = messages.slice(0, 3).join(', '); // Interpolator#error_message joins at most three
    return includeError('include-inputs', request.isMain ? text : `\`${request.fileName}\`: ${text}`, request.location ?? { file: request.fileName });
  };
  const given = request.inputs ?? {};
  if (parsed.spec === undefined) {
    if (Object.keys(given).length > 0) {
      throw fail(['Given inputs not defined in the `spec` section of the included configuration file']);
    }
    return checkPresence(parsed, request);
  }
  const specs = readInputSpecs(parsed.spec, request, fail);
  const resolution = resolveInputValues(specs, given);
  if (resolution.errors.length > 0) throw fail(resolution.errors);
  const context: CiMap = { inputs: resolution.values };
  const component = componentContext(parsed.spec, request.component);
  if (component !== undefined) context.component = component;
  const outcome = interpolate(parsed.content, context, request.variables);
  if (!outcome.ok) throw fail(outcome.errors);
  return checkPresence({ ...parsed, content: outcome.content }, request);
}

function parseFile(request: ContentRequest): ParsedCiFile {
  try {
    return parseCiFile(request.text, request.fileName, request.limits);
  } catch (error) {
    if (request.isMain || !(error instanceof ConfigError) || error.code === 'file-too-large') throw error;
    const inner = error.location === undefined ? error.message : `${formatLocation(error.location)}: ${error.message}`;
    throw includeError('include-yaml', `Included file \`${request.fileName}\` does not have valid YAML syntax!`, request.location, {
      hint: inner,
      cause: error,
    });
  }
}

/** File::Base#validate_hash!: an included file with no configuration at all is an error. */
function checkPresence(parsed: ParsedCiFile, request: ContentRequest): CiMap {
  if (!request.isMain && !parsed.hasContent) {
    throw includeError('include-yaml', `Included file \`${request.fileName}\` does not have valid YAML syntax!`, request.location, {
      hint: 'The file holds no configuration (it is empty or has only comments).',
    });
  }
  return parsed.content;
}

/** Header::Root and Header::Input: the keys GitLab accepts under `spec:` and each input. */
function readInputSpecs(header: CiMap, request: ContentRequest, fail: (messages: readonly string[]) => ConfigError): CiMap {
  const spec = header.spec;
  if (spec === null || spec === undefined) return {};
  if (!isMap(spec)) throw fail(['header:spec config should be a hash']);
  const unknown = Object.keys(spec).filter((key) => !headerKeys.has(key));
  if (unknown.length > 0) throw fail([`header:spec config contains unknown keys: ${unknown.join(', ')}`]);
  if (spec.include !== undefined) {
    throw includeError('include-unsupported', `\`${request.fileName}\`: spec:include is not supported`, request.location, {
      hint: 'spec:include is behind the ci_file_inputs feature flag in GitLab; define the inputs in spec:inputs.',
    });
  }
  const inputs = spec.inputs ?? null;
  if (inputs === null) return {};
  if (!isMap(inputs)) throw fail(['header:spec:inputs config should be a hash']);
  for (const [name, input] of Object.entries(inputs)) {
    if (input === null) continue;
    if (!isMap(input)) throw fail([`header:spec:inputs:${name} config should be a hash`]);
    const unknownKeys = Object.keys(input).filter((key) => !inputKeys.has(key));
    if (unknownKeys.length > 0) throw fail([`header:spec:inputs:${name} config contains unknown keys: ${unknownKeys.join(', ')}`]);
    if (input.rules !== undefined) {
      throw includeError('include-unsupported', `\`${request.fileName}\`: spec:inputs:${name}:rules is not supported`, request.location, {
        hint: 'Give the input a plain default and options instead of rules.',
      });
    }
    if (input.options !== undefined && input.options !== null && !isSeq(input.options)) {
      throw fail([`header:spec:inputs:${name}:options config should be an array`]);
    }
  }
  return inputs;
}

/** docs "ci/components/#use-component-context-in-components": only the values the header lists. */
function componentContext(header: CiMap, values: CiMap | undefined): CiMap | undefined {
  const spec = header.spec;
  if (values === undefined || !isMap(spec) || !isSeq(spec.component)) return undefined;
  const context: CiMap = {};
  for (const name of spec.component) {
    if (typeof name === 'string' && componentValues.has(name) && values[name] !== undefined) context[name] = values[name] ?? null;
  }
  return context;
}
