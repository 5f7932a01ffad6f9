/**
 * pino, writing to the CLI's standard error: JSON lines in CI (CI=true) so log processors can
 * parse them, readable lines on a terminal. Secrets are redacted by path before anything is
 * written; the core never logs (it records decisions in the report instead).
 */
import pino, { type Logger } from 'pino';

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
  '*.headers.authorization',
  '*.headers["private-token"]',
  '*.headers["job-token"]',
  'secret',
  '*.secret',
];

export interface LogTarget {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export function createLogger(options: { level: string; json: boolean; target: LogTarget }): Logger {
  const destination = options.json
    ? { write: (line: string) => options.target.write(line) }
    : { write: (line: string) => options.target.write(readableLine(line)) };
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
