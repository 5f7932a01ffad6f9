/**
 * JSON.parse with a located error. V8's messages carry the failing offset in most cases
 * (`... in JSON at position 11`, and Node 22+ adds `(line 2 column 1)`); a truncated file ends
 * early, which we place at the end of the text. When the parser does not say where, the error
 * names only the file: we do not guess a place.
 */
import type { SourceLocation } from '../../errors.js';
import { ConfigError } from '../../errors.js';

export function parseReportJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Node 22+ appends "(line L column C)"; the location carries that, so the message stays the same on every Node.
    const rawReason = error instanceof Error ? error.message : String(error);
    const reason = rawReason.replace(/\s*\(line \d+ column \d+\)/, '');
    const offset = errorOffset(reason, text);
    const location: SourceLocation = offset === undefined ? { file } : { file, ...offsetToLineColumn(rawReason, text, offset) };
    const truncated = text.trim() === '' ? ' the file is empty:' : offset !== undefined && offset >= text.length ? ' the file ends early (truncated?):' : '';
    throw new ConfigError('report-json', `${file}: not valid JSON:${truncated} ${reason}`, {
      location,
      hint: 'A truncated or empty report usually means the scan job failed while writing it; re-run the job.',
      cause: error,
    });
  }
}

/** The UTF-16 offset the parser failed at, when its message tells. */
function errorOffset(reason: string, text: string): number | undefined {
  const position = /at position (\d+)/.exec(reason);
  if (position !== null) return Number(position[1]);
  if (/Unexpected end of JSON input/.test(reason)) return text.length;
  return undefined;
}

function offsetToLineColumn(reason: string, text: string, offset: number): { line: number; column: number } {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(reason);
  if (lineColumn !== null) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  return lineAndColumn(text, offset);
}

/** 1-based line and column of a UTF-16 offset, as editors show them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = 0; index < end; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
