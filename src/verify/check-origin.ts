/**
 * Did the pipeline come from the central configuration? The project's CI/CD configuration file
 * setting names the central file, the pipeline has the central file's compose job and it
 * succeeded, and the bridges created the composed (and pre) child pipelines for the same commit.
 * The setting is read now (in `serve`, at most 30 s ago: project-memo.ts), not as it was when
 * the pipeline was created: a setting switched and switched back is caught by the compose job and
 * bridge checks instead.
 */
import type { PipelineRecords } from './records.js';
import type { VerifySettings } from './settings.js';
import { check, type Check } from './verdict.js';

export function checkConfigFile(records: PipelineRecords, settings: VerifySettings): Check {
  const actual = records.project.ciConfigPath;
  if (actual === settings.centralConfigPath) return check('ci-config-file', true, `the project's CI/CD configuration file is the central ${settings.centralConfigPath}`);
  const shown = actual === '' ? "the project's own .gitlab-ci.yml (the setting is empty)" : `"${actual}"`;
  return check(
    'ci-config-file',
    false,
    `the project's CI/CD configuration file setting is ${shown}, not the central "${settings.centralConfigPath}": its pipelines run without the policies. A Maintainer must set it back (Settings > CI/CD > General pipelines).`,
  );
}

/**
 * What GitLab recorded, when it created the pipeline, about where its configuration came from
 * (GraphQL `Pipeline.configSource`, Enums::Ci::Pipeline.config_sources): a central file in
 * another project is EXTERNAL_PROJECT_SOURCE, a URL REMOTE_SOURCE, a file of the project's own
 * repository REPOSITORY_SOURCE. A pipeline run from the project's own `.gitlab-ci.yml` while the
 * setting was switched away (and back) is REPOSITORY_SOURCE, whatever its jobs are called.
 */
export function checkConfigSource(records: PipelineRecords, settings: VerifySettings): Check {
  const central = settings.centralConfigPath;
  const expected = /^https?:\/\//.test(central) ? 'REMOTE_SOURCE' : central.includes('@') ? 'EXTERNAL_PROJECT_SOURCE' : 'REPOSITORY_SOURCE';
  const actual = records.configSource?.toUpperCase();
  if (actual === expected) return check('config-source', true, `GitLab recorded the pipeline's configuration as ${expected}, as the central file is`);
  if (actual === undefined) return check('config-source', false, `GitLab recorded no configuration source for pipeline #${records.pipeline.id}: it cannot be shown to come from the central file`);
  return check('config-source', false, `pipeline #${records.pipeline.id} was created from a ${actual} configuration, not the central file's ${expected}: it ran another configuration (was the CI/CD configuration file switched?)`);
}

export function checkComposeJob(records: PipelineRecords, settings: VerifySettings): Check {
  const name = settings.composeJobName;
  const job = records.jobs.find((candidate) => candidate.name === name);
  if (job === undefined) {
    return check('compose-job', false, `pipeline #${records.pipeline.id} has no ${name} job: it was not built from the central configuration (was the CI/CD configuration file switched?)`);
  }
  if (job.status !== 'success') return check('compose-job', false, `${name} (job ${job.id}) is ${job.status}, not success: the policies were not composed`);
  return check('compose-job', true, `${name} (job ${job.id}) succeeded`);
}

/** The bridge `name` created a child pipeline for the pipeline's own commit. */
export function checkBridge(records: PipelineRecords, name: string, checkName: string, what: string): Check {
  const bridge = records.bridges.find((candidate) => candidate.name === name);
  if (bridge === undefined) return check(checkName, false, `pipeline #${records.pipeline.id} has no ${name} trigger job: the ${what} never ran`);
  const downstream = bridge.downstream;
  if (downstream === undefined) return check(checkName, false, `${name} is ${bridge.status} and created no ${what}`);
  if (downstream.sha !== records.pipeline.sha) {
    return check(checkName, false, `${name} ran ${what} #${downstream.id} on commit ${downstream.sha.slice(0, 8)}, not the pipeline's ${records.pipeline.sha.slice(0, 8)}`);
  }
  if (downstream.projectId !== records.project.id) return check(checkName, false, `${name} ran ${what} #${downstream.id} in another project (${downstream.projectId})`);
  return check(checkName, true, `${name} ran ${what} #${downstream.id} (${downstream.status})`);
}
