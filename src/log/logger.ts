/**
 * pino, writing to the CLI's standard error: JSON lines in CI (CI=true) so log processors can
 * parse them, readable lines on a terminal. Secrets are redacted twice before anything is
 * written: by path (fields that hold credentials), and by value (the run's tokens wherever they
 * appear: a message, an error's stack, a nested field). The core never logs (it records
 * decisions in the report instead).
 */
import pino, { type Logger } from 'pino';
import { createRedactor } from '../http/redact.js';

export type { Logger };

/** Object paths that may hold credentials; their values are replaced before writing. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'privateToken',
  '*.privateToken',
  'headers.authorization',
  'headers["private-token"]',
  'headers["job-token"]',
  'headers["PRIVATE-TOKEN"]',
  'headers["JOB-TOKEN"]',
  '*.headers.authorization',
  '*.headers["private-token"]',
  '*.headers["job-token"]',
  '*.headers["PRIVATE-TOKEN"]',
  '*.headers["JOB-TOKEN"]',
  'credential.value',
  '*.credential.value',
  'secret',
  '*.secret',
];

export interface LogTarget {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface LoggerOptions {
  readonly level: string;
  readonly json: boolean;
  readonly target: LogTarget;
  /** Values censored wherever they appear, e.g. secretValues(env) (see secret-variables.ts). */
  readonly secrets?: readonly string[];
}

export function createLogger(options: LoggerOptions): Logger {
  // On the serialized line, not in a pino hook: errors, nested objects and child bindings are
  // all strings by then, so nothing can slip past. The redactor also matches JSON-escaped forms.
  const redact = createRedactor(options.secrets ?? []);
  const destination = options.json
    ? { write: (line: string) => options.target.write(redact(line)) }
    : { write: (line: string) => options.target.write(readableLine(redact(line))) };
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: options.json ? pino.stdTimeFunctions.isoTime : false,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

function readableLine(json: string): string {
  try {
    const { level, msg, ...rest } = JSON.parse(json) as { level: number; msg?: string } & Record<string, unknown>;
    const fields = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    return `${LEVELS[level] ?? level}: ${msg ?? ''}${fields === '' ? '' : ` ${fields}`}\n`;
  } catch {
    return json;
  }
}
