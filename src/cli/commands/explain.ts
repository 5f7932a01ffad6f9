/** `explain`: the same work as compose, printed for people instead of as YAML. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { emitExplanation } from '../../emit/explain.js';
import { maskReport } from '../../emit/mask-report.js';
import { emitReportJson } from '../../emit/report.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { maskerFor } from '../masking.js';
import type { CommandOptions } from '../options.js';
import { composeFromOptions, openStoreForCompose } from './compose.js';

export async function runExplain(options: CommandOptions<'explain'>, io: CliIo): Promise<number> {
  const store = await openStoreForCompose(options, io);
  const composed = await composeFromOptions(options, io, store).finally(() => store?.close());
  // Explanations are read by people and kept as artifacts: maskable variable values are taken out.
  const report = maskReport(composed.report, maskerFor(io.env, options.var));
  io.stdout.write(emitExplanation(report));
  if (options.report !== undefined) await writeFile(resolve(io.cwd, options.report), emitReportJson(report));
  return EXIT.ok;
}
