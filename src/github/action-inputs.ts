/**
 * The action's inputs, read the way GitHub passes them to a container action: one variable per
 * input named `INPUT_` + the input name upper-cased with spaces turned into `_` (hyphens kept:
 * `INPUT_POLICY-PROJECTS`), as @actions/core getInput reads them. Booleans accept only the
 * YAML 1.2 core spellings, as getBooleanInput does; anything else is an error, never a default.
 */
import { UsageError } from '../errors.js';

export const ACTION_COMMANDS = ['compose', 'explain', 'validate', 'evaluate'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The inputs action.yml declares (a test keeps the two lists the same). */
export const ACTION_INPUT_NAMES = ['command', 'workspace', 'project', 'policy-projects', 'branch', 'mr-target', 'fail-open', 'out', 'report', 'args'] as const;
export type ActionInputName = (typeof ACTION_INPUT_NAMES)[number];

export interface ActionInputs {
  readonly command: ActionCommand;
  readonly workspace: string | undefined;
  readonly project: string | undefined;
  readonly policyProjects: readonly string[];
  readonly branch: string | undefined;
  readonly mrTarget: string | undefined;
  readonly failOpen: boolean;
  /** Where compose writes the pipeline and compose/explain the report, relative to the workspace. */
  readonly out: string;
  readonly report: string;
  /** Extra arguments, one per word (no shell quoting). */
  readonly args: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export function readInput(env: Env, name: ActionInputName): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function readActionInputs(env: Env): ActionInputs {
  const command = readInput(env, 'command') || 'validate';
  if (!isActionCommand(command)) {
    throw new UsageError('bad-arguments', `input command: "${command}" is not one of ${ACTION_COMMANDS.join(', ')}`);
  }
  return {
    command,
    workspace: optional(readInput(env, 'workspace')),
    project: optional(readInput(env, 'project')),
    policyProjects: readInput(env, 'policy-projects')
      .split(/[,\n]/)
      .map((path) => path.trim())
      .filter((path) => path !== ''),
    branch: optional(readInput(env, 'branch')),
    mrTarget: optional(readInput(env, 'mr-target')),
    failOpen: readBooleanInput(env, 'fail-open'),
    out: readInput(env, 'out') || 'policy-pipeline.yml',
    report: readInput(env, 'report') || 'policy-report.json',
    args: readInput(env, 'args')
      .split(/\s+/)
      .filter((word) => word !== ''),
  };
}

/** The CLI arguments for the inputs; which flags apply depends on the command. */
export function buildCliArguments(inputs: ActionInputs): string[] {
  const argv: string[] = [inputs.command];
  if (inputs.workspace !== undefined) argv.push('--workspace', inputs.workspace);
  if (inputs.command === 'compose' || inputs.command === 'explain') {
    if (inputs.project !== undefined) argv.push('--project', inputs.project);
    for (const path of inputs.policyProjects) argv.push('--policy-project', path);
    if (inputs.branch !== undefined) argv.push('--branch', inputs.branch);
    if (inputs.mrTarget !== undefined) argv.push('--mr-target', inputs.mrTarget);
    if (inputs.failOpen) argv.push('--fail-open');
    if (inputs.command === 'compose') argv.push('--out', inputs.out);
    argv.push('--report', inputs.report);
  }
  argv.push(...inputs.args);
  return argv;
}

function readBooleanInput(env: Env, name: ActionInputName): boolean {
  const value = readInput(env, name);
  if (value === '' || ['false', 'False', 'FALSE'].includes(value)) return false;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  throw new UsageError('bad-arguments', `input ${name}: "${value}" is not a boolean`, {
    hint: 'Use true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE).',
  });
}

function isActionCommand(value: string): value is ActionCommand {
  return (ACTION_COMMANDS as readonly string[]).includes(value);
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}
