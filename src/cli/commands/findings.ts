/**
 * `findings list|dismiss|confirm|reopen` (docs/store.md): the default-branch findings `evaluate`
 * recorded, and people's decisions on them, which approval policies' vulnerability_states then
 * see (dismissed, confirmed; reopen makes a finding detected again). An operator's command: the
 * store comes from the flags, then the variables, then the default folder, as for the questions.
 */
import { UsageError } from '../../errors.js';
import { renderFindings } from '../../emit/finding-views.js';
import type { FindingState } from '../../store/finding-records.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { requireOption } from '../option-values.js';
import { storeLocationForStoreCommands, withStore } from '../store-location.js';
import { formatOf } from './store-questions.js';

/** Each decision and the state it sets; reopen is GitLab's "revert to detected". */
const DECISIONS: Readonly<Record<string, FindingState>> = { dismiss: 'dismissed', confirm: 'confirmed', reopen: 'detected' };

export async function runFindings(options: CommandOptions<'findings'>, positionals: readonly string[], io: CliIo): Promise<number> {
  const [verb, ...ids] = positionals;
  const usage = 'policy-sidecar findings list --project PATH [--state S] | findings dismiss|confirm|reopen --project PATH ID... [--reason TEXT]';
  if (verb === 'list') {
    if (ids.length > 0) throw new UsageError('bad-arguments', `usage: ${usage}`);
    if (options.reason !== undefined) throw new UsageError('bad-arguments', '--reason goes with dismiss, confirm or reopen');
    const project = requireOption(options.project, 'project', 'findings');
    const format = formatOf(options.format);
    const state = options.state as FindingState | undefined; // checked by the option's choices
    const findings = await withStore(storeLocationForStoreCommands(options, io), (store) => store.findingsOf(project, state));
    io.stdout.write(format === 'json' ? `${JSON.stringify(findings, null, 2)}\n` : renderFindings(project, findings));
    return EXIT.ok;
  }
  const state = verb === undefined ? undefined : DECISIONS[verb];
  if (state === undefined) {
    throw new UsageError('bad-arguments', verb === undefined ? 'findings needs a verb: list, dismiss, confirm or reopen' : `unknown findings verb ${verb}`, { hint: usage });
  }
  if (ids.length === 0) throw new UsageError('bad-arguments', `findings ${verb} needs the id of at least one finding`, { hint: usage });
  if (options.state !== undefined) throw new UsageError('bad-arguments', '--state goes with list');
  const project = requireOption(options.project, 'project', 'findings');
  const lines = await withStore(storeLocationForStoreCommands(options, io), async (store) => {
    const known = new Map((await store.findingsOf(project)).map((finding) => [finding.identity, finding]));
    // All or nothing: a mistyped id changes no finding, so the command can simply be run again.
    const unknown = [...new Set(ids)].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new UsageError('unknown-finding', `the policy store has no finding ${unknown.join(', ')} recorded for ${project}`, {
        hint: `policy-sidecar findings list --project ${project} shows the ids; findings are recorded by evaluate on default-branch pipelines.`,
      });
    }
    const changed: string[] = [];
    for (const id of [...new Set(ids)]) {
      await store.setFindingState(project, id, state, options.reason);
      const finding = known.get(id);
      changed.push(`${id}: ${finding?.state ?? ''} -> ${state} (${finding?.reportType ?? ''}, ${finding?.severity ?? ''}: ${finding?.name ?? ''})`);
    }
    return changed;
  });
  io.stdout.write(lines.map((line) => `${line}\n`).join(''));
  return EXIT.ok;
}
