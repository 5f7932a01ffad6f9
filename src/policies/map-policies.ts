/**
 * A schema-valid policy file (YAML value tree) → the types of types.ts. Defaults are GitLab's
 * (Security::PipelineExecutionPolicy::Config): strategy inject_policy when a mapping omits
 * `type`, apply_on_empty_pipeline `always`, suffix `on_conflict`. The schema has already
 * checked every shape; the narrowing below only satisfies the compiler.
 */
import { locationOf } from '../ci/positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../ci/value.js';
import { POLICY_TYPES } from './policy-schema.js';
import { PIPELINE_CONFIG_STRATEGIES } from './schema/shared-defs.js';
import { mapAt, seqAt, stringAt } from './validated-values.js';
import type {
  LoadedPolicy,
  OtherPolicy,
  PipelineConfigStrategy,
  PipelineExecutionPolicy,
  Policy,
  PolicyFile,
  PolicyProjectRef,
  PolicyScope,
  PolicyType,
  ProjectKind,
} from './types.js';

export function mapPolicyFile(root: CiMap, file: string, policyProject: PolicyProjectRef): PolicyFile {
  const policies: LoadedPolicy[] = [];
  // Source order of the lists, then of the entries (STYLE: keep source order where GitLab does).
  for (const key of Object.keys(root)) {
    const type = POLICY_TYPES.find((name) => name === key);
    const list = root[key];
    if (type === undefined || !isSeq(list)) continue;
    list.forEach((entry, index) => {
      if (!isMap(entry)) return;
      policies.push({ policy: mapPolicy(type, entry), policyProject, index, location: locationOf(entry) });
    });
  }
  return { policyProject, file, policies, experiments: mapExperiments(root['experiments']) };
}

function mapPolicy(type: PolicyType, entry: CiMap): Policy {
  if (type === 'pipeline_execution_policy') return mapPipelineExecutionPolicy(entry);
  const other: OtherPolicy = {
    type,
    name: stringAt(entry, 'name') ?? '',
    enabled: entry['enabled'] === true,
    policyScope: mapPolicyScope(entry['policy_scope']),
    raw: entry,
  };
  return other;
}

function mapPipelineExecutionPolicy(entry: CiMap): PipelineExecutionPolicy {
  const include = seqAt(mapAt(entry, 'content'), 'include')[0];
  const includeMap = isMap(include) ? include : {};
  const strategy = mapStrategy(entry['pipeline_config_strategy']);
  const skipCi = mapAt(entry, 'skip_ci');
  const variablesOverride = mapAt(entry, 'variables_override');
  return {
    type: 'pipeline_execution_policy',
    name: stringAt(entry, 'name') ?? '',
    description: stringAt(entry, 'description'),
    enabled: entry['enabled'] === true,
    content: { project: stringAt(includeMap, 'project') ?? '', file: stringAt(includeMap, 'file') ?? '', ref: stringAt(includeMap, 'ref') },
    strategy: strategy.strategy,
    applyOnEmptyPipeline: strategy.applyOnEmptyPipeline,
    suffix: entry['suffix'] === 'never' ? 'never' : 'on_conflict',
    skipCi:
      skipCi === undefined
        ? undefined
        : { allowed: skipCi['allowed'] === true, allowlistUsers: idsOf(seqAt(mapAt(skipCi, 'allowlist'), 'users')) },
    variablesOverride:
      variablesOverride === undefined
        ? undefined
        : {
            allowed: variablesOverride['allowed'] === true,
            exceptions: seqAt(variablesOverride, 'exceptions').filter((name): name is string => typeof name === 'string'),
          },
    policyScope: mapPolicyScope(entry['policy_scope']),
  };
}

const DEFAULT_STRATEGY: PipelineConfigStrategy = 'inject_policy';
const DEFAULT_APPLY_ON_EMPTY_PIPELINE = 'always';

function isStrategy(value: CiValue | undefined): value is PipelineConfigStrategy {
  return PIPELINE_CONFIG_STRATEGIES.some((strategy) => strategy === value);
}

function mapStrategy(value: CiValue | undefined): { strategy: PipelineConfigStrategy; applyOnEmptyPipeline: string } {
  if (isMap(value)) {
    const type = value['type'];
    return {
      strategy: isStrategy(type) ? type : DEFAULT_STRATEGY,
      applyOnEmptyPipeline: stringAt(value, 'apply_on_empty_pipeline') ?? DEFAULT_APPLY_ON_EMPTY_PIPELINE,
    };
  }
  return { strategy: isStrategy(value) ? value : DEFAULT_STRATEGY, applyOnEmptyPipeline: DEFAULT_APPLY_ON_EMPTY_PIPELINE };
}

export function mapPolicyScope(value: CiValue | undefined): PolicyScope | undefined {
  if (!isMap(value)) return undefined;
  const projects = mapAt(value, 'projects');
  const groups = mapAt(value, 'groups');
  const matchMode = value['match_mode'];
  return {
    ...('compliance_frameworks' in value ? { complianceFrameworks: idsOf(seqAt(value, 'compliance_frameworks')) } : {}),
    ...(projects === undefined
      ? {}
      : {
          projects: {
            including: idsOf(seqAt(projects, 'including')),
            excluding: idsOf(seqAt(projects, 'excluding')),
            excludingKinds: kindsOf(seqAt(projects, 'excluding')),
          },
        }),
    ...(groups === undefined ? {} : { groups: { including: idsOf(seqAt(groups, 'including')), excluding: idsOf(seqAt(groups, 'excluding')) } }),
    ...(matchMode === 'any' || matchMode === 'all' ? { matchMode } : {}),
  };
}

function mapExperiments(value: CiValue | undefined): Record<string, boolean> {
  const experiments: Record<string, boolean> = {};
  if (!isMap(value)) return experiments;
  for (const [name, setting] of Object.entries(value)) {
    const enabled = isMap(setting) ? setting['enabled'] : undefined;
    if (typeof enabled === 'boolean') experiments[name] = enabled;
  }
  return experiments;
}

/** `[{id: 1}, {id: 2}]` → [1, 2]; items without an integer id are skipped. */
function idsOf(items: readonly CiValue[]): number[] {
  return items.flatMap((item) => {
    const id = isMap(item) ? item['id'] : undefined;
    return typeof id === 'number' && Number.isInteger(id) ? [id] : [];
  });
}

function kindsOf(items: readonly CiValue[]): ProjectKind[] {
  return items.flatMap((item) => {
    const kind = isMap(item) ? item['type'] : undefined;
    return kind === 'personal' || kind === 'archived' ? [kind] : [];
  });
}
