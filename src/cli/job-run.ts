/**
 * A run inside a GitLab CI job (--job, SPEC §2 "Trust"). The job's shell hands its environment
 * over as data (--job-env-file, NUL-separated NAME=value, as /proc/<pid>/environ holds it) while
 * node itself starts from a clean environment (templates/*.yml: `/usr/bin/env -i`). Project,
 * group and pipeline variables override predefined CI_* variables, so nothing in that data
 * decides where we connect or what we trust: the settings environment commands see is built here
 * from the flags and the two tokens only.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { nonEmpty } from './option-values.js';

/** Far above GitLab's own limits on variables; a bound so a hostile file cannot exhaust memory. */
const MAX_ENVIRONMENT_BYTES = 16 * 1024 * 1024;

/** The tokens a job run may use: the sidecar's own, else the job's. */
const TOKEN_VARIABLES = ['POLICY_SIDECAR_TOKEN', 'CI_JOB_TOKEN'] as const;

export interface RunFlags {
  readonly job?: boolean;
  readonly jobEnvFile?: string | undefined;
  readonly proxy?: string | undefined;
  readonly caFile?: string | undefined;
}

/** The io a command runs with: with --job the job's variables plus a settings environment from flags. */
export async function ioForRun(flags: RunFlags, io: CliIo): Promise<CliIo> {
  if (flags.job !== true) {
    if (flags.jobEnvFile !== undefined) throw new UsageError('bad-arguments', '--job-env-file is only read with --job');
    return { ...io, env: withNetworkFlags(io.env, flags) };
  }
  if (flags.jobEnvFile === undefined) {
    throw new UsageError('missing-option', '--job needs --job-env-file: the job\'s environment, read as data', {
      hint: 'Run the CLI as templates/policy-sidecar.yml does: /bin/cat /proc/self/environ | /usr/bin/env -i ... policy-sidecar compose --job --job-env-file /dev/stdin ...',
    });
  }
  const jobVariables = await readJobEnvironment(resolve(io.cwd, flags.jobEnvFile));
  const env: Record<string, string> = { CI: 'true' };
  for (const name of TOKEN_VARIABLES) {
    const value = nonEmpty(jobVariables[name]);
    if (value !== undefined) env[name] = value;
  }
  return { ...io, env: withNetworkFlags(env, flags), jobVariables };
}

/** --proxy and --ca-file replace the environment's proxy and CA settings (lower case included: it wins in proxySettings). */
function withNetworkFlags(env: CliIo['env'], flags: RunFlags): CliIo['env'] {
  let result: Record<string, string | undefined> = { ...env };
  if (flags.proxy !== undefined) {
    result = { ...result, HTTPS_PROXY: flags.proxy, HTTP_PROXY: flags.proxy, https_proxy: undefined, http_proxy: undefined };
  }
  if (flags.caFile !== undefined) result = { ...result, NODE_EXTRA_CA_CERTS: flags.caFile, CI_SERVER_TLS_CA_FILE: undefined };
  return result;
}

/** NUL-separated `NAME=value` entries; entries without a valid name are skipped (they cannot be variables). */
export async function readJobEnvironment(path: string): Promise<Record<string, string>> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new UsageError('job-env-missing', `--job-env-file ${path} cannot be read`);
  if (info.isFile() && info.size > MAX_ENVIRONMENT_BYTES) throw new UsageError('job-env-too-large', `--job-env-file ${path} is larger than ${MAX_ENVIRONMENT_BYTES} bytes`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError('job-env-missing', `--job-env-file ${path} cannot be read`, { cause: error });
  }
  if (bytes.length > MAX_ENVIRONMENT_BYTES) throw new UsageError('job-env-too-large', `--job-env-file ${path} is larger than ${MAX_ENVIRONMENT_BYTES} bytes`);
  return parseJobEnvironment(bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NUL = 0;
const EQUALS = 0x3d;

/**
 * NUL-separated `NAME=value` entries as bytes. A value that is not UTF-8 fails closed, naming the
 * variable: GitLab's variables are UTF-8, and a lenient decoder would hand rules a U+FFFD that
 * GitLab never compared (as non-UTF-8 CI files, ci/decode-utf8.ts).
 */
export function parseJobEnvironment(input: Uint8Array | string): Record<string, string> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const variables: Record<string, string> = {};
  let start = 0;
  while (start < bytes.length) {
    const nul = bytes.indexOf(NUL, start);
    const end = nul < 0 ? bytes.length : nul;
    const entry = bytes.subarray(start, end);
    start = end + 1;
    const at = entry.indexOf(EQUALS);
    // latin1 maps every byte to one character: a name with any byte outside [A-Za-z0-9_] fails the test.
    const name = at < 0 ? '' : Buffer.from(entry.subarray(0, at)).toString('latin1');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    variables[name] = decodeValue(name, entry.subarray(at + 1));
  }
  return variables;
}

function decodeValue(name: string, value: Uint8Array): string {
  try {
    return strictUtf8.decode(value);
  } catch {
    throw new ConfigError('job-variable-not-utf8', `the job's variable ${name} is not valid UTF-8`, {
      hint: 'GitLab keeps CI/CD variables as UTF-8: find where the job\'s environment gets this variable (the runner\'s environment setting, the image) and give it a UTF-8 value.',
    });
  }
}
