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
import { locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiValue } from '../value.js';
import { localNeedName } from './need-entries.js';
import { matrixInstanceNames, parallelInstanceNames } from './parallel-names.js';

export function checkJobReferences(jobs: readonly ExpandedJob[], stages: readonly string[]): void {
  const stageOf = new Map<string, string>();
  for (const job of jobs) {
    const stage = String(readMapEntry(job.definition, 'stage'));
    stageOf.set(job.name, stage);
    for (const instance of parallelInstanceNames(job.name, readMapEntry(job.definition, 'parallel')) ?? []) stageOf.set(instance, stage);
  }
  for (const job of jobs) {
    const dependencies = readMapEntry(job.definition, 'dependencies');
    const dependenciesAt = locationOfKey(job.definition, 'dependencies') ?? job.location;
    for (const name of isSeq(dependencies) ? dependencies : []) {
      if (typeof name === 'string') checkReference(job, name, 'dependency', false, { stageOf, stages, location: dependenciesAt });
    }
    const needs = readMapEntry(job.definition, 'needs');
    const needsAt = locationOfKey(job.definition, 'needs') ?? job.location;
    for (const need of isSeq(needs) ? needs : needs === undefined ? [] : [needs]) {
      const optional = isMap(need) && need['optional'] === true;
      for (const name of neededNames(need)) checkReference(job, name, 'need', optional, { stageOf, stages, location: needsAt });
    }
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

function checkReference(job: ExpandedJob, name: string, type: 'dependency' | 'need', optional: boolean, table: Table): void {
  const stage = table.stageOf.get(name);
  if (stage === undefined) {
    // An optional need may name a job that includes or rules left out (docs "needs:optional").
    if (optional) return;
    throw new ConfigError(type === 'need' ? 'needs-undefined-job' : 'dependencies-undefined-job', `${job.name} job: undefined ${type}: ${name}`, {
      location: table.location,
      hint: `No job named '${name}' exists in the configuration.`,
    });
  }
  const own = table.stages.indexOf(String(readMapEntry(job.definition, 'stage')));
  if (table.stages.indexOf(stage) <= own) return;
  throw new ConfigError(
    type === 'need' ? 'needs-later-stage' : 'dependencies-later-stage',
    `${job.name} job: ${type} ${name} is not defined in current or prior stages`,
    { location: table.location, hint: `'${name}' runs in stage ${stage}, after this job's stage.` },
  );
}
