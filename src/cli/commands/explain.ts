/** `explain`: the same work as compose, printed for people instead of as YAML. */
import { emitExplanation } from '../../emit/explain.js';
import { emitReportJson } from '../../emit/report.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { applyNoPoliciesRule } from '../no-policies-rule.js';
import { writeOutputFile } from '../output-file.js';
import { composeFromOptions, noPoliciesIn } from './compose.js';

export async function runExplain(options: CommandOptions<'explain'>, io: CliIo): Promise<number> {
  const { report } = await composeFromOptions(options, io);
  // explain is for people: zero policies is a warning (also in its text), never an error.
  applyNoPoliciesRule(noPoliciesIn(report), { enforced: false, allowed: true }, io);
  io.stdout.write(emitExplanation(report));
  if (options.report !== undefined) await writeOutputFile(io, 'report', options.report, emitReportJson(report));
  return EXIT.ok;
}
