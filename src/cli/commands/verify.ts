/**
 * `verify`: one pipeline, verified from GitLab's own records (docs/verify.md). Exit 0 verified,
 * 1 not verified (failed, or still running), 2 bad input, 3 GitLab unreachable (exit-codes.ts).
 * `--report FILE` writes the verdict as JSON; `--publish` posts it where it goes.
 */
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { UsageError } from '../../errors.js';
import { emitVerdictJson, type Verdict } from '../../verify/verdict.js';
import { publishVerdict, verifyPipelineById } from '../../verify/verify-and-publish.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { nonEmpty, requireOption, wholeNumber } from '../option-values.js';
import { checkStandardOutput, writeOutputFile } from '../output-file.js';
import { apiPorts, connectVerifier, recomputeSettingsFrom, recordedPorts, verifySettingsFrom } from '../verify-setup.js';

export async function runVerify(options: CommandOptions<'verify'>, io: CliIo, dispatcher?: Dispatcher): Promise<number> {
  checkStandardOutput({ report: options.report }, 'the verdict');
  const project = requireOption(options.project ?? nonEmpty(io.env['CI_PROJECT_PATH']), 'project', 'verify');
  const pipelineId = wholeNumber(requireOption(options.pipeline, 'pipeline', 'verify'), 'pipeline', 1);
  if (pipelineId === undefined) throw new UsageError('missing-option', '--pipeline is required');
  const settings = verifySettingsFrom(options, io.env);
  const recompute = recomputeSettingsFrom(options, io.env);
  if ((options.records === undefined) !== (options.workspace === undefined)) {
    throw new UsageError('bad-arguments', '--records and --workspace go together', { hint: 'Offline: --workspace DIR (the repositories) --records DIR (the recorded API answers). Online: neither.' });
  }
  if (options.workspace !== undefined && options.records !== undefined) {
    if (options.publish) throw new UsageError('bad-arguments', '--publish needs GitLab: recorded answers cannot take writes');
    const ports = recordedPorts(resolve(io.cwd, options.workspace), resolve(io.cwd, options.records), settings, recompute, io);
    const { verdict } = await verifyPipelineById(ports, project, pipelineId);
    return finish(verdict, options, io);
  }
  const connection = connectVerifier(options, io.env, dispatcher);
  try {
    const ports = apiPorts(connection, settings, recompute, io, options.cacheDir ?? nonEmpty(io.env['POLICY_SIDECAR_CACHE_DIR']));
    const verification = await verifyPipelineById(ports, project, pipelineId);
    if (options.publish) {
      const published = await publishVerdict(ports.api, verification);
      io.stderr.write(`policy-sidecar: commit status ${published.status}; notes: ${published.notes.join(', ') || 'none'}; status checks answered: ${published.statusChecks}\n`);
    }
    return await finish(verification.verdict, options, io);
  } finally {
    if (connection.ownsDispatcher) await connection.dispatcher.close();
  }
}

async function finish(verdict: Verdict, options: CommandOptions<'verify'>, io: CliIo): Promise<number> {
  if (options.report !== undefined) await writeOutputFile(io, 'report', options.report, emitVerdictJson(verdict));
  io.stdout.write(renderVerdict(verdict));
  return verdict.verified ? EXIT.ok : EXIT.verdict;
}

/** For people: the verdict, then one line per check. */
export function renderVerdict(verdict: Verdict): string {
  const what = verdict.pipeline === null ? `commit ${verdict.sha.slice(0, 8)}` : `pipeline #${verdict.pipeline}`;
  const head = `${verdict.project} ${what}: ${verdict.state === 'verified' ? 'verified' : verdict.state === 'pending' ? 'pending' : 'NOT verified'} (${verdict.summary})\n`;
  return head + verdict.checks.map((item) => `  ${item.ok ? 'ok  ' : 'FAIL'} ${item.name}: ${item.reason}\n`).join('');
}
