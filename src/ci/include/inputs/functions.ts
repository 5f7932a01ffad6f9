/**
 * The functions allowed in an interpolation block, `$[[ inputs.x | expand_vars | truncate(0,4) ]]`
 * (docs "ci/inputs/#predefined-interpolation-functions"; Interpolation::Functions::*).
 */
import type { Variables } from '../../context.js';
import { expandVariables } from '../../expand-variables.js';
import type { CiValue } from '../../value.js';

export type FunctionResult = { readonly ok: true; readonly value: CiValue } | { readonly ok: false; readonly error: string };

type InterpolationFunction = (value: CiValue, variables: Variables) => FunctionResult;

interface FunctionDefinition {
  readonly name: string;
  readonly pattern: RegExp;
  readonly build: (match: RegExpExecArray) => InterpolationFunction;
}

const definitions: readonly FunctionDefinition[] = [
  {
    name: 'truncate',
    // Functions::Truncate.function_expression_pattern (its closing parenthesis is optional there too).
    pattern: /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)?$/,
    build: (match) => {
      const offset = Number(match[1]);
      const length = Number(match[2]);
      return stringOnly('truncate', (text) => Array.from(text).slice(offset, offset + length).join(''));
    },
  },
  {
    name: 'expand_vars',
    // ExpandVariables.expand_existing: unknown variables are left as written, values are not re-expanded.
    pattern: /^expand_vars$/,
    build: () => (value, variables) =>
      typeof value === 'string'
        ? { ok: true, value: expandVariables(value, variables, { keepUnknown: true }) }
        : typeError('expand_vars'),
  },
  {
    name: 'posix_escape',
    pattern: /^posix_escape$/,
    build: () => stringOnly('posix_escape', shellEscape),
  },
];

/** Builds the function stack of one block, or GitLab's message for the first unknown function. */
export function buildFunctions(expressions: readonly string[]): InterpolationFunction[] | string {
  const stack: InterpolationFunction[] = [];
  for (const expression of expressions) {
    const definition = definitions.find((candidate) => candidate.pattern.test(expression));
    const match = definition?.pattern.exec(expression);
    if (definition === undefined || match === null || match === undefined) {
      return `no function matching \`${expression}\`: check that the function name, arguments, and types are correct`;
    }
    stack.push(definition.build(match));
  }
  return stack;
}

function stringOnly(name: string, apply: (text: string) => string): InterpolationFunction {
  return (value) => (typeof value === 'string' ? { ok: true, value: apply(value) } : typeError(name));
}

function typeError(name: string): FunctionResult {
  return { ok: false, error: `error in \`${name}\` function: invalid input type: ${name} can only be used with string inputs` };
}

/** Ruby's Shellwords.shellescape. */
function shellEscape(text: string): string {
  if (text === '') return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, (char) => `\\${char}`).replace(/\n/g, "'\n'");
}
