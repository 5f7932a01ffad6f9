/**
 * The one table from outcome to exit code. Codes do not change meaning with flags.
 * 0 success · 1 a negative verdict (a command whose job is to judge found a violation) ·
 * 2 invalid input (command line, CI configuration, policy file) · 3 a source could not be read
 * (file, API, network) · 70 our own bug.
 */
import type { SidecarError } from '../errors.js';

export const EXIT = {
  ok: 0,
  verdict: 1,
  invalidInput: 2,
  sourceFailed: 3,
  internal: 70,
} as const;

export function exitCodeFor(error: SidecarError): number {
  switch (error.kind) {
    case 'usage':
    case 'config':
    case 'policy':
      return EXIT.invalidInput;
    case 'source':
      return EXIT.sourceFailed;
    case 'internal':
      return EXIT.internal;
  }
}
