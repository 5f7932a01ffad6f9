/**
 * The whole CLI as a function: argv and injected I/O in, exit code out. main.ts only binds it to
 * the process. Every failure ends here as one message and the exit code from exit-codes.ts.
 */
import { formatLocation, InternalError, isSidecarError, type SidecarError } from '../errors.js';
import { createRedactor } from '../http/redact.js';
import { secretValues } from '../log/secret-variables.js';
import { runCommand } from './command-table.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import { renderCommandHelp, renderOverview } from './help.js';
import type { CliIo } from './io.js';
import { maskerFor, maskerForRun } from './masking.js';
import { ioForRun } from './job-run.js';
import { packageVersion } from './package-files.js';
import { parseCommandLine } from './parse-args.js';
import { printsStackTraces } from './source-maps.js';

const version = packageVersion();

export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  let debug = printsStackTraces(argv);
  // Standard error carries messages, logs and summaries: no maskable variable value reaches it.
  let mask = maskerFor(rawIo.env, []);
  let io: CliIo = { ...rawIo, stderr: { write: (text) => rawIo.stderr.write(mask(text)), isTTY: rawIo.stderr.isTTY } };
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.kind === 'version') {
      io.stdout.write(`${version}\n`);
      return EXIT.ok;
    }
    if (parsed.kind === 'help') {
      io.stdout.write(parsed.command === undefined ? renderOverview(version) : renderCommandHelp(parsed.command));
      return EXIT.ok;
    }
    if ('var' in parsed.options) mask = maskerFor(rawIo.env, parsed.options.var);
    const level = parsed.options.logLevel ?? 'info';
    debug = level === 'debug' || level === 'trace';
    // With --job, from here on io.env is the settings environment built from flags (job-run.ts)
    // and the job's variables, masked ones included, are io.jobVariables: the masker follows them.
    io = await ioForRun(parsed.options, io);
    mask = maskerForRun(io, 'var' in parsed.options ? parsed.options.var : []);
    if (debug) {
      // pino costs tens of milliseconds to load; below debug this logger would print nothing.
      const { createLogger } = await import('../log/logger.js');
      const logger = createLogger({ level, json: io.env['CI'] === 'true', target: io.stderr, secrets: secretsOf(io) });
      logger.debug({ command: parsed.command }, 'starting');
    }
    return await runCommand(parsed, io);
  } catch (error) {
    const known: SidecarError = isSidecarError(error)
      ? error
      : new InternalError('unexpected', `unexpected error: ${(error as Error)?.message ?? String(error)}`, {
          cause: error,
          hint: 'This is a bug in policy-sidecar; please report it with the command line (run with --log-level debug for a stack trace).',
        });
    // Errors are built without secrets; the redactor is the second line of defence.
    io.stderr.write(createRedactor(secretsOf(io))(formatError(known, debug)));
    return exitCodeFor(known);
  }
}

/** Credentials to censor: the settings environment's and, with --job, the job's (CI_REGISTRY_PASSWORD...). */
function secretsOf(io: CliIo): string[] {
  return [...new Set([...secretValues(io.env), ...secretValues(io.jobVariables ?? {})])];
}

export function formatError(error: SidecarError, withStack: boolean): string {
  const where = error.location === undefined ? '' : `${formatLocation(error.location)}: `;
  let text = `policy-sidecar: ${where}${error.message}\n`;
  if (error.hint !== undefined) text += `  hint: ${error.hint}\n`;
  if (withStack) {
    const cause = error.cause instanceof Error ? error.cause : error;
    text += `${cause.stack ?? ''}\n`;
  }
  return text;
}
