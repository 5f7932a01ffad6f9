/** The compose report `policy:compose` writes for acme/web's push pipeline on main (examples/workspace), in-process. */
import { fileURLToPath } from 'node:url';
import { composeFromOptions } from '../../src/cli/commands/compose.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import type { PipelineReport } from '../../src/emit/report.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples/workspace', import.meta.url));

export async function composeGoodReport(): Promise<PipelineReport> {
  const parsed = parseCommandLine(['compose', '--workspace', EXAMPLES, '--project', 'acme/web', '--policy-project', 'security/policies', '--branch', 'main', '--source', 'push', '--pre-out', 'x.yml']);
  if (parsed.kind !== 'run' || parsed.command !== 'compose') throw new Error('compose arguments');
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd() };
  return (await composeFromOptions(parsed.options, io)).report;
}
