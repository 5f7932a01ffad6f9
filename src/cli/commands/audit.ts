/**
 * `audit` (SPEC §5, docs/fleet.md): every project of a group, subgroups included and archived
 * ones left out, judged for enforcement, applicable policies, its latest default-branch pipeline
 * and the verifier's verdict, and drift. `--merge` joins sharded runs' JSON lines instead.
 * Exit 1 when a project is not enforced or has drift (the command's job is to judge), 0 when
 * every project is clean.
 */
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { SourceError } from '../../errors.js';
import { auditProject } from '../../fleet/audit-project.js';
import { checkAuditRow, type AuditRow } from '../../fleet/audit-row.js';
import { GroupTree } from '../../fleet/group-tree.js';
import { mergeShards } from '../../fleet/merge-shards.js';
import { openFileSink, streamSink } from '../../fleet/output-file.js';
import { AUDIT_COLUMNS } from '../../fleet/output/columns.js';
import { formatNamed } from '../../fleet/output/row-format.js';
import { policiesFor, scopedByFrameworks } from '../../fleet/policy-coverage.js';
import { createProgress } from '../../fleet/progress.js';
import { runFleet } from '../../fleet/run-fleet.js';
import { inShard, parseShard } from '../../fleet/shard.js';
import { withFrameworks } from '../../fleet/with-frameworks.js';
import { loadPolicyFilesByPath } from '../../policies/load-policies.js';
import { createFleetApi, type FleetApi } from '../../sources/gitlab/fleet-api.js';
import { createGitlabSource } from '../../sources/gitlab/gitlab-source.js';
import { EXIT } from '../exit-codes.js';
import { connectToGitlab } from '../gitlab-connection.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { requireFilePath, STANDARD_OUTPUT } from '../output-file.js';
import { nonEmpty, requireOption, wholeNumber } from '../option-values.js';
import { openStoreAt, storeLocationFromFlags } from '../store-location.js';

type AuditOptions = CommandOptions<'audit'>;

/** What the process provides; tests pass a dispatcher. */
export interface FleetControl {
  readonly dispatcher?: Dispatcher;
}

export async function runAudit(options: AuditOptions, io: CliIo, control: FleetControl = {}): Promise<number> {
  const format = formatNamed<AuditRow>(options.format, AUDIT_COLUMNS, 'policy-sidecar audit');
  const checkpoint = requireFilePath('checkpoint', options.checkpoint);
  // `--out -` is standard output, as without --out: never a file named `-`.
  const out = options.out === undefined || options.out === STANDARD_OUTPUT ? undefined : resolve(io.cwd, options.out);
  if (options.merge.length > 0) {
    const sink = out === undefined ? streamSink(io.stdout) : await openFileSink(out, undefined);
    try {
      await mergeShards(options.merge.map((path) => resolve(io.cwd, path)), format, sink, checkAuditRow);
    } finally {
      await sink.close();
    }
    return EXIT.ok;
  }
  const group = requireOption(options.group, 'group', 'audit');
  const central = requireOption(options.centralConfig, 'central-config', 'audit');
  const shard = parseShard(options.shard, nonEmpty(io.env['CI_NODE_INDEX']), nonEmpty(io.env['CI_NODE_TOTAL']));
  const concurrency = wholeNumber(options.concurrency, 'concurrency', 1, 64) ?? 8;
  const { client } = connectToGitlab(options, io.env, control.dispatcher);
  const api = createFleetApi(client);
  const tree = await readGroupTree(api, group);
  const files = await loadPolicyFilesByPath(createGitlabSource({ client }), policyProjectsOf(options.policyProject, io.env));
  const run = `audit ${group} ${central} shard ${shard.index}/${shard.total} ${options.format ?? 'table'}`;
  // With a store, every row is also written there, keyed by run and project: a resumed run
  // rewrites its rows. One run a day: the same audit run again the same day replaces its rows.
  const storeLocation = storeLocationFromFlags(options, io);
  const store = storeLocation === undefined ? undefined : await openStoreAt(storeLocation);
  const runId = `${run} ${new Date().toISOString().slice(0, 10)}`;
  const result = await runFleet({
    run,
    checkpointPath: checkpoint === undefined ? undefined : resolve(io.cwd, checkpoint),
    outPath: out,
    stdout: io.stdout,
    format,
    // Frameworks only when a policy's scope names them (else no GraphQL at all), read for this
    // shard's projects only, in batches.
    projects: (idAfter) =>
      scopedByFrameworks(files)
        ? withFrameworks(shardOf(api.groupProjects(group, idAfter), (project) => inShard(project.id, shard)), (paths) => api.complianceFrameworks(paths))
        : api.groupProjects(group, idAfter),
    positionOf: (row: AuditRow) => row.id,
    shard,
    concurrency,
    work: async (project) => {
      const row = await auditProject(api, project, {
        centralConfig: central,
        policiesOf: (listed) =>
          policiesFor(files, {
            projectId: listed.id,
            groupIds: tree.ancestorsOf(listed.namespaceId),
            ...(listed.complianceFrameworks === undefined ? {} : { complianceFrameworks: listed.complianceFrameworks }),
          }),
      });
      await store?.recordAuditRow({ runId, projectPath: row.project, enforced: row.state === 'ok' ? row.enforced : null, detail: row });
      return row;
    },
    countsOf: countsOf,
    progress: createProgress('audit', io.stderr),
  }).finally(() => store?.close());
  const failing = (result.counts['not enforced'] ?? 0) + (result.counts['drift'] ?? 0);
  return failing > 0 ? EXIT.verdict : EXIT.ok;
}

async function* shardOf<T>(items: AsyncIterable<T>, keep: (item: T) => boolean): AsyncGenerator<T> {
  for await (const item of items) if (keep(item)) yield item;
}

function countsOf(row: AuditRow): string[] {
  const names: string[] = [];
  if (row.state !== 'ok') names.push(row.state);
  else if (!row.enforced) names.push('not enforced');
  if (row.drift.length > 0) names.push('drift');
  if (row.pipeline !== null && row.verified !== 'success') names.push('not verified');
  return names;
}

async function readGroupTree(api: FleetApi, group: string): Promise<GroupTree> {
  const tree = new GroupTree();
  const root = await api.group(group);
  if (root === undefined) {
    throw new SourceError('group-not-found', `group ${group} was not found`, { hint: 'Check the path and that the token (POLICY_SIDECAR_TOKEN) can read the group.' });
  }
  tree.add(root);
  // The root's own ancestors: policy_scope may name a group above the audited one.
  for (let parent = root.parentId; parent !== null; ) {
    const above = await api.group(String(parent));
    if (above === undefined) break;
    tree.add(above);
    parent = above.parentId;
  }
  for await (const descendant of api.descendantGroups(group)) tree.add(descendant);
  return tree;
}

function policyProjectsOf(flags: readonly string[], env: CliIo['env']): readonly string[] {
  if (flags.length > 0) return flags;
  const configured = nonEmpty(env['POLICY_SIDECAR_POLICY_PROJECTS']);
  return configured === undefined ? [] : configured.split(',').map((path) => path.trim()).filter((path) => path !== '');
}

