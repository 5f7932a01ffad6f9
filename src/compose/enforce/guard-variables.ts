/**
 * The YAML variables a guarded job may not set: those the guard line reads, and those a shell or
 * the dynamic loader acts on before the guard's first word runs. Each would let the job's own
 * configuration switch the guard off (barrier-jobs.ts):
 * - `CI_PIPELINE_ID`: the marker holds it; a job value plus a committed marker passes the check.
 * - `BASH_ENV`, `ENV`: a file bash (non-interactive) or sh (interactive) sources at start-up.
 * - `SHELLOPTS`, `BASHOPTS`, `PS4`: `xtrace` from the environment plus a `PS4` with `$(…)` runs
 *   code before every command, the guard's included.
 * - `LD_*`: the loader loads or audits libraries into the shell itself.
 * - `BASH_FUNC_*`: exported bash functions, which could replace `[` or `read`.
 * Refused rather than dropped: dropping would silently change what the job does, while a
 * refusal names the job and says what to do (set it in the script, after the guard, or use the
 * two-file layout, where no guard is needed). `PATH` and `NODE_OPTIONS` are allowed: the guard
 * runs builtins only, and neither changes how `sh` starts.
 */
import { ConfigError } from '../../errors.js';
import type { ComposedJob } from '../types.js';
import { GUARD_READS } from './barrier-jobs.js';

const EXACT = new Set<string>([...GUARD_READS, 'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4']);
const PREFIXES = ['LD_', 'BASH_FUNC_'];

export function isGuardShadowing(name: string): boolean {
  return EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Throws when a job that gets the guard sets one of the variables above in its YAML. */
export function rejectGuardShadowing(job: ComposedJob): void {
  const shadowing = Object.keys(job.variables).filter(isGuardShadowing).sort();
  if (shadowing.length === 0) return;
  throw new ConfigError(
    'enforce-guard-variable',
    `${job.name} job: variables ${shadowing.join(', ')} cannot be set in the job's configuration while a pipeline execution policy pre job must succeed`,
    {
      location: job.location,
      hint:
        'policy-sidecar starts this job with a check that the policy pre jobs passed, and these variables change how that check runs. ' +
        'Set the value in the script instead (e.g. `export LD_LIBRARY_PATH=...`), or compose with --pre-out (the component does), where no check is needed.',
    },
  );
}
