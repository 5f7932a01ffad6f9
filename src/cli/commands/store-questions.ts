/**
 * The questions the policy store answers (docs/store.md): `policies list|show|history|diff`,
 * `projects show`, `coverage`. Read-only; table for people, JSON for scripts.
 */
import { UsageError } from '../../errors.js';
import { renderCoverage, renderHistory, renderPolicy, renderPolicyList, renderProject } from '../../emit/store-views.js';
import { emitPolicyDiff } from '../../emit/policy-diff.js';
import type { PolicyStore } from '../../store/open-store.js';
import type { PolicyRecord, PolicyVersionRecord } from '../../store/policy-reads.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { storeLocationForStoreCommands, withStore } from '../store-location.js';

type Format = 'table' | 'json';

export async function runPolicies(options: CommandOptions<'policies'>, positionals: readonly string[], io: CliIo): Promise<number> {
  const [verb, id, ...rest] = positionals;
  const format = formatOf(options.format);
  const expect = (count: number, usage: string): void => {
    if (positionals.length !== count) throw new UsageError('bad-arguments', `usage: policy-sidecar policies ${usage}`);
  };
  switch (verb) {
    case 'list':
      expect(1, 'list');
      break;
    case 'show':
    case 'history':
      expect(2, `${verb} ID`);
      break;
    case 'diff':
      expect(4, 'diff ID V1 V2');
      break;
    default:
      throw new UsageError('bad-arguments', verb === undefined ? 'policies needs a question: list, show, history or diff' : `unknown policies question ${verb}`, {
        hint: 'policy-sidecar policies list|show ID|history ID|diff ID V1 V2',
      });
  }
  const text = await withStore(storeLocationForStoreCommands(options, io), async (store) => {
    if (verb === 'list') {
      const policies = await store.listPolicies();
      return format === 'json' ? json(policies) : renderPolicyList(policies);
    }
    const policy = await onePolicy(store, id as string);
    const versions = await store.policyVersions(policy.id);
    if (verb === 'show') {
      const current = versions.find((version) => version.digest === policy.currentDigest);
      return format === 'json' ? json({ ...policy, version: current ?? null }) : renderPolicy(policy, current);
    }
    if (verb === 'history') return format === 'json' ? json(versions.map(({ yaml: _yaml, files: _files, ...version }) => version)) : renderHistory(versions);
    const [from, to] = [versionOf(versions, rest[0] as string, policy), versionOf(versions, rest[1] as string, policy)];
    const diff = await emitPolicyDiff(from, to);
    return format === 'json' ? json({ policy: policy.id, from: from.number, to: to.number, diff }) : diff;
  });
  io.stdout.write(text);
  return EXIT.ok;
}

export async function runProjects(options: CommandOptions<'projects'>, positionals: readonly string[], io: CliIo): Promise<number> {
  const [verb, path] = positionals;
  if (verb !== 'show' || path === undefined || positionals.length !== 2) {
    throw new UsageError('bad-arguments', 'usage: policy-sidecar projects show PATH');
  }
  const format = formatOf(options.format);
  const text = await withStore(storeLocationForStoreCommands(options, io), async (store) => {
    const view = await store.showProject(path);
    if (view === undefined) {
      throw new UsageError('unknown-project', `the policy store has no project ${path}`, { hint: 'Run policy-sidecar sync with the policy projects that apply to it first.' });
    }
    return format === 'json' ? json(view) : renderProject(view);
  });
  io.stdout.write(text);
  return EXIT.ok;
}

export async function runCoverage(options: CommandOptions<'coverage'>, io: CliIo): Promise<number> {
  if (options.policy === undefined) throw new UsageError('missing-option', '--policy is required', { hint: 'Name the policy by its id (policies list) or its name.' });
  const since = sinceOf(options.since, new Date());
  const format = formatOf(options.format);
  const text = await withStore(storeLocationForStoreCommands(options, io), async (store) => {
    const policy = await onePolicy(store, options.policy as string);
    const versions = await store.policyVersions(policy.id);
    const version = options.version === undefined ? versions.find((candidate) => candidate.digest === policy.currentDigest) : versionOf(versions, options.version, policy);
    if (version === undefined) throw new UsageError('bad-arguments', `${policy.name} has no current version; pass --version`);
    const rows = await store.coverage(policy.id, version.digest, since);
    return format === 'json' ? json({ policy: policy.id, version: version.number, digest: version.digest, projects: rows }) : renderCoverage(policy, version.number, rows);
  });
  io.stdout.write(text);
  return EXIT.ok;
}

export function formatOf(value: string | undefined): Format {
  if (value === undefined || value === 'table' || value === 'json') return value ?? 'table';
  throw new UsageError('bad-arguments', `--format must be table or json here, not ${value}`);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function onePolicy(store: PolicyStore, idOrName: string): Promise<PolicyRecord> {
  const found = await store.findPolicies(idOrName);
  if (found.length === 0) throw new UsageError('unknown-policy', `the policy store has no policy ${idOrName}`, { hint: 'policy-sidecar policies list shows the ids.' });
  if (found.length > 1) {
    throw new UsageError('ambiguous-policy', `${found.length} policies are named ${idOrName}: ${found.map((policy) => `${policy.id} (${policy.policyProject})`).join(', ')}`, {
      hint: 'Name it by its id.',
    });
  }
  return found[0] as PolicyRecord;
}

function versionOf(versions: readonly PolicyVersionRecord[], text: string, policy: PolicyRecord): PolicyVersionRecord {
  const number = Number(text.replace(/^v/, ''));
  const version = versions.find((candidate) => candidate.number === number);
  if (!Number.isInteger(number) || version === undefined) {
    throw new UsageError('unknown-version', `${policy.name} has no version ${text}`, { hint: `Its versions: ${versions.map((candidate) => `v${candidate.number}`).join(', ')}.` });
  }
  return version;
}

/** ISO 8601, or a duration back from now: 7d, 24h, 30m. */
export function sinceOf(text: string | undefined, now: Date): Date | undefined {
  if (text === undefined) return undefined;
  const duration = /^([1-9][0-9]*)([dhm])$/.exec(text);
  if (duration !== null) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[duration[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new UsageError('bad-arguments', '--since must be an ISO 8601 time or a duration such as 7d or 24h');
  return date;
}
