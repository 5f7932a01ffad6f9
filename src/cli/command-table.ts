/**
 * Which module runs each command, loaded only when that command runs. Every pipeline starts a
 * process, so start-up is paid thousands of times a day: `--version` and `--help` load none of
 * these modules, and `compose` never loads fastify (serve), gitbeaker or undici unless it reads
 * from GitLab. Importing a command module is what loads its dependencies, so keep heavy imports
 * out of run.ts, options.ts, parse-args.ts and help.ts (test/cli/lazy-start.test.ts checks it).
 *
 * Adding a command: declare it in COMMANDS (options.ts), then add one line here,
 *   name: async (options, _positionals, io) => (await import('./commands/name.js')).runName(options, io),
 * The mapped type below makes a command without an entry a type error.
 */
import type { CliIo } from './io.js';
import type { CommandName, CommandOptions } from './options.js';

export type CommandRunner<C extends CommandName> = (options: CommandOptions<C>, positionals: readonly string[], io: CliIo) => Promise<number>;

export const COMMAND_RUNNERS: { readonly [C in CommandName]: CommandRunner<C> } = {
  compose: async (options, _positionals, io) => (await import('./commands/compose.js')).runCompose(options, io),
  explain: async (options, _positionals, io) => (await import('./commands/explain.js')).runExplain(options, io),
  validate: async (options, positionals, io) => (await import('./commands/validate.js')).runValidate(options, positionals, io),
  evaluate: async (options, _positionals, io) => (await import('./commands/evaluate.js')).runEvaluate(options, io),
  serve: async (options, _positionals, io) => (await import('./commands/serve.js')).runServe(options, io),
  schedule: async (options, _positionals, io) => (await import('./commands/schedule.js')).runSchedule(options, io),
  verify: async (options, _positionals, io) => (await import('./commands/verify.js')).runVerify(options, io),
  audit: async (options, _positionals, io) => (await import('./commands/audit.js')).runAudit(options, io),
  rollout: async (options, _positionals, io) => (await import('./commands/rollout.js')).runRollout(options, io),
  sync: async (options, _positionals, io) => (await import('./commands/sync.js')).runSync(options, io),
  policies: async (options, positionals, io) => (await import('./commands/store-questions.js')).runPolicies(options, positionals, io),
  projects: async (options, positionals, io) => (await import('./commands/store-questions.js')).runProjects(options, positionals, io),
  coverage: async (options, _positionals, io) => (await import('./commands/store-questions.js')).runCoverage(options, io),
  findings: async (options, positionals, io) => (await import('./commands/findings.js')).runFindings(options, positionals, io),
};

/** A parsed command line, one shape per command. */
export type CommandInvocation = {
  readonly [C in CommandName]: { readonly command: C; readonly options: CommandOptions<C>; readonly positionals: readonly string[] };
};

/** Runs one command; generic so that each command's options reach its own runner, typed. */
export function runCommand<C extends CommandName>(invocation: CommandInvocation[C], io: CliIo): Promise<number> {
  const runner: CommandRunner<C> = COMMAND_RUNNERS[invocation.command];
  return runner(invocation.options, invocation.positionals, io);
}
