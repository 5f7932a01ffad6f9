/**
 * GitLab reports a failed keyword validation as `<entry path> <message>`, and lowercases the
 * whole line (Gitlab::Config::Entry::Validator#messages), so `jobs:Build` prints as `jobs:build`.
 * Errors raised outside the validators (extends, !reference, stages) keep their case.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';

export function entryError(
  code: string,
  entryPath: string,
  message: string,
  location: SourceLocation | undefined,
  hint?: string,
): ConfigError {
  return new ConfigError(code, `${entryPath} ${message}`.toLowerCase(), { location, hint });
}
