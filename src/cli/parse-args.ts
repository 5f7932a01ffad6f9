/**
 * argv → command + typed options, driven by the option table. Strict: unknown flags, missing
 * values and stray positionals are usage errors, never ignored.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { camelCase, COMMANDS, optionsFor, type CommandName, type CommandOptions, type OptionName } from './options.js';
import { normaliseProjectPath } from './project-path.js';

/** Options holding GitLab project paths, normalised as they are read. */
const PROJECT_PATH_OPTIONS: readonly OptionName[] = ['project', 'policy-project'];

export type ParsedCommandLine =
  | { readonly kind: 'help'; readonly command: CommandName | undefined }
  | { readonly kind: 'version' }
  | { readonly [C in CommandName]: { readonly kind: 'run'; readonly command: C; readonly options: CommandOptions<C>; readonly positionals: readonly string[] } }[CommandName];

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    return { kind: 'help', command: topic !== undefined && isCommand(topic) ? topic : undefined };
  }
  if (first === '--version') return { kind: 'version' };
  if (!isCommand(first)) {
    throw new UsageError('unknown-command', `unknown command ${first}`, {
      hint: `Commands: ${Object.keys(COMMANDS).join(', ')}. Run policy-sidecar --help.`,
    });
  }
  const table = optionsFor(first);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: COMMANDS[first].positionals,
      options: Object.fromEntries(
        table.map(([name, definition]) => [name, { type: definition.type, multiple: 'multiple' in definition }]),
      ),
    });
  } catch (error) {
    throw new UsageError('bad-arguments', (error as Error).message, {
      hint: `Run policy-sidecar ${first} --help.`,
    });
  }
  if (parsed.values['help'] === true) return { kind: 'help', command: first };
  const options: Record<string, unknown> = {};
  for (const [name, definition] of table) {
    const value = parsed.values[name];
    if ('choices' in definition && typeof value === 'string' && !(definition.choices as readonly string[]).includes(value)) {
      throw new UsageError('bad-arguments', `--${name} must be one of ${(definition.choices as readonly string[]).join(', ')}`);
    }
    const normalised = PROJECT_PATH_OPTIONS.includes(name) ? normaliseProjectPaths(value, name) : value;
    options[camelCase(name)] = normalised ?? (definition.type === 'boolean' ? false : 'multiple' in definition ? [] : undefined);
  }
  // The table typed each key; parseArgs only knows strings and booleans.
  return { kind: 'run', command: first, options, positionals: parsed.positionals } as unknown as ParsedCommandLine;
}

function normaliseProjectPaths(value: unknown, name: string): unknown {
  if (typeof value === 'string') return normaliseProjectPath(value, name);
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? normaliseProjectPath(item, name) : item));
  return value;
}

function isCommand(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}
