/**
 * YamlProcessor#run_logical_validations for `dependencies` and `needs`, on the whole
 * configuration before any rule is evaluated (lib/gitlab/ci/yaml_processor.rb
 * validate_job_dependency!): every named job must exist (an optional need may be missing), and
 * must be in the same or an earlier stage. GitLab checks after Config::Normalizer expanded
 * `parallel` jobs, so a name may be one instance (`build: [alpine]`, `test 2/3`), and a need with
 * `parallel:matrix` names the instances it selects (normalizer.rb expand_needs).
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { readMapEntry } from '../expand/ci-map.js';
import type { ExpandedJob } from '../expand/index.js';
import { locationOf, locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiValue } from '../value.js';
import { localNeedName } from './need-entries.js';
import { checkNeedsCycles } from './needs-cycles.js';
import { matrixInstanceNames, parallelInstanceNames } from './parallel-names.js';

export function checkJobReferences(jobs: readonly ExpandedJob[], stages: readonly string[]): void {
  const stageOf = new Map<string, string>();
  const instancesOf = new Map<string, readonly string[]>();
  for (const job of jobs) {
    const stage = String(readMapEntry(job.definition, 'stage'));
    stageOf.set(job.name, stage);
    const instances = parallelInstanceNames(job.name, readMapEntry(job.definition, 'parallel'));
    if (instances !== undefined) instancesOf.set(job.name, instances);
    for (const instance of instances ?? []) stageOf.set(instance, stage);
  }
  for (const job of jobs) {
    // GitLab validates the normalized jobs: a parallel job speaks as its first instance.
    const name = instancesOf.get(job.name)?.[0] ?? job.name;
    const dependencies = readMapEntry(job.definition, 'dependencies');
    const dependenciesAt = locationOfKey(job.definition, 'dependencies') ?? job.location;
    for (const dependency of isSeq(dependencies) ? dependencies : []) {
      if (typeof dependency === 'string') checkReference(name, job, dependency, 'dependency', false, { stageOf, stages, location: dependenciesAt });
    }
    const table = { stageOf, stages, location: locationOfKey(job.definition, 'needs') ?? job.location };
    checkNeedsList(name, job, readMapEntry(job.definition, 'needs'), table, instancesOf);
    // validate_job_needs! checks each rule's needs the same way.
    const rules = readMapEntry(job.definition, 'rules');
    for (const rule of isSeq(rules) ? rules : []) {
      if (isMap(rule) && rule['needs'] !== undefined) checkNeedsList(name, job, rule['needs'], { ...table, location: locationOf(rule) ?? table.location }, instancesOf);
    }
  }
  checkNeedsCycles(jobs, instancesOf);
}

/** validate_needs_specification!: every need exists in time, and none is named twice. */
function checkNeedsList(name: string, job: ExpandedJob, needs: CiValue | undefined, table: Table, instancesOf: ReadonlyMap<string, readonly string[]>): void {
  if (needs === undefined || needs === null) return;
  const names: string[] = [];
  for (const need of isSeq(needs) ? needs : [needs]) {
    const optional = isMap(need) && need['optional'] === true;
    for (const needed of neededNames(need)) {
      checkReference(name, job, needed, 'need', optional, table);
      // Config::Normalizer#expand_needs: a need of a parallel job stands for all its instances.
      names.push(...(instancesOf.get(needed) ?? [needed]));
    }
  }
  const duplicated = [...new Set(names.filter((needed, index) => names.indexOf(needed) !== index))];
  if (duplicated.length > 0) {
    throw new ConfigError('needs-duplicated', `${name} has the following needs duplicated: ${duplicated.join(', ')}.`, {
      location: table.location,
      hint: 'Name each needed job once.',
    });
  }
}

interface Table {
  readonly stageOf: ReadonlyMap<string, string>;
  readonly stages: readonly string[];
  readonly location: SourceLocation | undefined;
}

/** The job names one need stands for: one name, or the instances its `parallel:matrix` selects. */
function neededNames(need: CiValue): string[] {
  const name = localNeedName(need);
  if (name === undefined) return [];
  const parallel = isMap(need) ? need['parallel'] : undefined;
  if (isMap(parallel) && isSeq(parallel['matrix'])) return matrixInstanceNames(name, parallel['matrix']);
  return [name];
}

function checkReference(jobName: string, job: ExpandedJob, name: string, type: 'dependency' | 'need', optional: boolean, table: Table): void {
  const stage = table.stageOf.get(name);
  if (stage === undefined) {
    // An optional need may name a job that includes or rules left out (docs "needs:optional").
    if (optional) return;
    throw new ConfigError(type === 'need' ? 'needs-undefined-job' : 'dependencies-undefined-job', `${jobName} job: undefined ${type}: ${name}`, {
      location: table.location,
      hint: `No job named '${name}' exists in the configuration.`,
    });
  }
  const own = table.stages.indexOf(String(readMapEntry(job.definition, 'stage')));
  if (table.stages.indexOf(stage) <= own) return;
  throw new ConfigError(
    type === 'need' ? 'needs-later-stage' : 'dependencies-later-stage',
    `${jobName} job: ${type} ${name} is not defined in current or prior stages`,
    { location: table.location, hint: `'${name}' runs in stage ${stage}, after this job's stage.` },
  );
}
