/** `explain`: the same work as compose, printed for people instead of as YAML. */
import { emitExplanation } from '../../emit/explain.js';
import { maskReport } from '../../emit/mask-report.js';
import { emitReportJson } from '../../emit/report.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { maskerForRun } from '../masking.js';
import type { CommandOptions } from '../options.js';
import { applyNoPoliciesRule } from '../no-policies-rule.js';
import { checkStandardOutput, writeOutputFile } from '../output-file.js';
import { composeFromOptions, noPoliciesIn, openStoreForCompose } from './compose.js';

export async function runExplain(options: CommandOptions<'explain'>, io: CliIo): Promise<number> {
  checkStandardOutput({ report: options.report }, 'the explanation');
  const store = await openStoreForCompose(options, io);
  const composed = await composeFromOptions(options, io, undefined, store).finally(() => store?.close());
  // explain is for people: zero policies is a warning (also in its text), never an error.
  applyNoPoliciesRule(noPoliciesIn(composed.report), { enforced: false, allowed: true }, io);
  // Explanations are read by people and kept as artifacts: maskable variable values are taken out.
  const report = maskReport(composed.report, maskerForRun(io, options.var));
  io.stdout.write(emitExplanation(report));
  if (options.report !== undefined) await writeOutputFile(io, 'report', options.report, emitReportJson(report));
  return EXIT.ok;
}
