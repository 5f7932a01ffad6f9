/**
 * Small readers shared by the commands: option values that need checking beyond the option
 * table, and the GitLab credential from the job's environment (POLICY_SIDECAR_TOKEN, else
 * CI_JOB_TOKEN), which goes into the HTTP client and nowhere else.
 */
import { UsageError } from '../errors.js';
import type { Credential } from '../http/client.js';
import type { CliIo } from './io.js';

export function credentialFrom(env: CliIo['env']): Credential | undefined {
  const token = nonEmpty(env['POLICY_SIDECAR_TOKEN']);
  if (token !== undefined) return { header: 'PRIVATE-TOKEN', value: token };
  const jobToken = nonEmpty(env['CI_JOB_TOKEN']);
  return jobToken === undefined ? undefined : { header: 'JOB-TOKEN', value: jobToken };
}

export function requireOption(value: string | undefined, name: string, command: string): string {
  if (value === undefined || value === '') {
    throw new UsageError('missing-option', `--${name} is required`, { hint: `Run policy-sidecar ${command} --help for the options.` });
  }
  return value;
}

export function wholeNumber(value: string | undefined, name: string, least: number, most = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < least || Number(value) > most) {
    const range = most === Number.MAX_SAFE_INTEGER ? `of at least ${least}` : `from ${least} to ${most}`;
    throw new UsageError('bad-arguments', `--${name} must be a whole number ${range}`);
  }
  return Number(value);
}

/** Unset, empty and blank are all "not given". */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
