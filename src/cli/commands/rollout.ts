/**
 * `rollout` (SPEC §5, docs/fleet.md): point the CI configuration file setting of a group's
 * projects at the central file. A plan by default; `--apply` changes, recording each previous
 * value in `--undo-file` first; `--canary N` changes N projects and waits for their verified
 * pipelines before the rest; `--undo FILE` restores what an undo file recorded.
 * Exit 1 when a canary failed or a project could not be changed (403, gone).
 */
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../../errors.js';
import { runCanary } from '../../fleet/canary.js';
import { readCheckpoint } from '../../fleet/checkpoint.js';
import { formatNamed } from '../../fleet/output/row-format.js';
import { createProgress } from '../../fleet/progress.js';
import { rolloutProject, undoProject } from '../../fleet/rollout-project.js';
import { ROLLOUT_COLUMNS, type RolloutRow } from '../../fleet/rollout-row.js';
import { runFleet, type FleetResult } from '../../fleet/run-fleet.js';
import { parseShard } from '../../fleet/shard.js';
import { undoEntries, undoneIds } from '../../fleet/undo-file.js';
import { createFleetApi } from '../../sources/gitlab/fleet-api.js';
import { EXIT } from '../exit-codes.js';
import { connectToGitlab } from '../gitlab-connection.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { nonEmpty, requireOption, wholeNumber } from '../option-values.js';
import { requireFilePath, STANDARD_OUTPUT } from '../output-file.js';
import type { FleetControl } from './audit.js';

type RolloutOptions = CommandOptions<'rollout'>;

export async function runRollout(options: RolloutOptions, io: CliIo, control: FleetControl = {}): Promise<number> {
  const format = formatNamed<RolloutRow>(options.format, ROLLOUT_COLUMNS, 'policy-sidecar rollout');
  const shard = parseShard(options.shard, nonEmpty(io.env['CI_NODE_INDEX']), nonEmpty(io.env['CI_NODE_TOTAL']));
  const concurrency = wholeNumber(options.concurrency, 'concurrency', 1, 64) ?? 8;
  const path = (value: string | undefined): string | undefined => (value === undefined ? undefined : resolve(io.cwd, value));
  const checkpointPath = path(requireFilePath('checkpoint', options.checkpoint));
  // `--out -` is standard output, as without --out: never a file named `-`.
  const outPath = path(options.out === STANDARD_OUTPUT ? undefined : options.out);
  const { client } = connectToGitlab(options, io.env, control.dispatcher);
  const api = createFleetApi(client);
  const common = { checkpointPath, outPath, stdout: io.stdout, format, shard, concurrency, countsOf: (row: RolloutRow) => [row.outcome] };

  if (options.undo !== undefined) {
    const undoFile = resolve(io.cwd, options.undo);
    const result = await runFleet({
      ...common,
      run: `rollout --undo ${undoFile} shard ${shard.index}/${shard.total} ${options.format ?? 'table'} ${options.apply ? 'apply' : 'plan'}`,
      projects: (afterLine) => undoEntries(undoFile, afterLine),
      positionOf: (row: RolloutRow & { line?: number }) => row.line ?? 0,
      work: async (entry) => ({ ...(await undoProject(api, entry, options.apply)), line: entry.line }),
      progress: createProgress('rollout --undo', io.stderr),
    });
    return exitOf(result);
  }

  const group = requireOption(options.group, 'group', 'rollout');
  const wanted = requireOption(options.centralConfig, 'central-config', 'rollout');
  if (!/^[^@\s]+@[^@\s]+$/.test(wanted.trim())) {
    throw new UsageError('bad-arguments', `--central-config ${wanted} is not FILE@GROUP/PROJECT`, { hint: 'Write the setting as GitLab holds it for a file in another project, e.g. pipeline.yml@platform/ci.' });
  }
  const undoFile = path(requireFilePath('undo-file', options.undoFile));
  if (options.apply && undoFile === undefined) throw new UsageError('missing-option', '--apply needs --undo-file FILE', { hint: 'The undo file records every previous value, so rollout --undo FILE can restore them.' });
  const canary = wholeNumber(options.canary, 'canary', 1);
  if (canary !== undefined && !options.apply) throw new UsageError('bad-arguments', '--canary needs --apply');
  const run = `rollout ${group} ${wanted} shard ${shard.index}/${shard.total} ${options.format ?? 'table'} ${options.apply ? 'apply' : 'plan'}`;
  const changedBefore = async (): Promise<Set<number>> => (undoFile === undefined ? new Set<number>() : undoneIds(undoFile));
  let settings = { wanted, apply: options.apply, undoFile, changedBefore: await changedBefore() };

  let extra: Record<string, unknown> = {};
  if (canary !== undefined) {
    const saved = checkpointPath === undefined ? undefined : await readCheckpoint(checkpointPath, run);
    if (saved?.finished === true || saved?.extra?.['canaryPassed'] !== true) {
      const minutes = wholeNumber(options.canaryTimeout, 'canary-timeout', 1) ?? 60;
      const results = await runCanary(api, api.groupProjects(group, undefined), shard, canary, settings, Date.now() + minutes * 60_000, {
        sleep: (ms) => delay(ms),
        now: Date.now,
      });
      for (const result of results) io.stderr.write(`rollout: canary ${result.project}: ${result.passed ? 'passed' : 'FAILED'}: ${result.reason}\n`);
      const failed = results.filter((result) => !result.passed);
      if (failed.length > 0 || results.length === 0) {
        io.stderr.write(
          results.length === 0
            ? 'policy-sidecar: no project needs the change: no canary to run\n'
            : `policy-sidecar: ${failed.length} of ${results.length} canary projects failed: the rest of the group was not changed\n  hint: Fix the central pipeline or the policies, then run again; rollout --undo ${options.undoFile ?? 'FILE'} --apply restores the canaries.\n`,
        );
        return results.length === 0 ? EXIT.ok : EXIT.verdict;
      }
      extra = { canaryPassed: true };
      // The canaries are in the undo file now: the main pass reports them as changed.
      settings = { ...settings, changedBefore: await changedBefore() };
    } else {
      extra = { canaryPassed: true };
    }
  }
  const result = await runFleet({
    ...common,
    run,
    extra,
    projects: (idAfter) => api.groupProjects(group, idAfter),
    positionOf: (row: RolloutRow) => row.id,
    work: (project) => rolloutProject(api, project, settings),
    progress: createProgress(options.apply ? 'rollout' : 'rollout plan', io.stderr),
  });
  return exitOf(result);
}

function exitOf(result: FleetResult): number {
  const failed = (result.counts['forbidden'] ?? 0) + (result.counts['gone'] ?? 0);
  return failed > 0 ? EXIT.verdict : EXIT.ok;
}
