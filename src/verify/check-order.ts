/**
 * Job order from GitLab's timestamps: every policy pre job finished before the first project job
 * started, and every policy post job started after the last project job ended. A job the
 * recomputation does not know counts as a project job (it is not a policy's). Jobs that never
 * started (skipped, manual) have no time and do not count.
 */
import { isRequired, type Expectation } from './expectation.js';
import { childJobsOf } from './check-jobs.js';
import type { JobRecord, PipelineRecords } from './records.js';
import type { VerifySettings } from './settings.js';
import { check, type Check } from './verdict.js';

interface Timed {
  readonly name: string;
  readonly startedAt: number;
  readonly finishedAt: number | undefined;
}

export function checkJobOrder(records: PipelineRecords, expectation: Expectation, settings: VerifySettings): Check {
  const byName = new Map(expectation.jobs.map((job) => [job.name, job]));
  const phaseOf = (name: string): 'pre' | 'post' | 'project' | 'other' => {
    const job = byName.get(name) ?? byName.get(name.replace(/( \d+\/\d+|: \[.*\])$/, ''));
    if (job === undefined) return 'project';
    if (isRequired(job) && job.phase !== 'other') return job.phase;
    return job.origin === 'project' ? 'project' : 'other';
  };
  const all = [...childJobsOf(records, settings, 'pre'), ...childJobsOf(records, settings, 'main')];
  const timed = all.flatMap((job) => timesOf(job));
  const pre = timed.filter((job) => phaseOf(job.name) === 'pre');
  const post = timed.filter((job) => phaseOf(job.name) === 'post');
  const project = timed.filter((job) => phaseOf(job.name) === 'project');
  const problems: string[] = [];
  const firstProject = minBy(project, (job) => job.startedAt);
  if (firstProject !== undefined) {
    for (const job of pre) {
      if (job.finishedAt === undefined || job.finishedAt > firstProject.startedAt) {
        problems.push(`project job "${firstProject.name}" started at ${iso(firstProject.startedAt)}, before policy pre job "${job.name}" ${job.finishedAt === undefined ? 'finished' : `finished at ${iso(job.finishedAt)}`}`);
      }
    }
  }
  const ended = project.filter((job) => job.finishedAt !== undefined);
  const lastProject = maxBy(ended, (job) => job.finishedAt ?? 0);
  const running = project.find((job) => job.finishedAt === undefined);
  for (const job of post) {
    if (running !== undefined) problems.push(`policy post job "${job.name}" started while project job "${running.name}" had not finished`);
    else if (lastProject?.finishedAt !== undefined && job.startedAt < lastProject.finishedAt) {
      problems.push(`policy post job "${job.name}" started at ${iso(job.startedAt)}, before project job "${lastProject.name}" ended at ${iso(lastProject.finishedAt)}`);
    }
  }
  if (problems.length > 0) return check('job-order', false, problems.join('; '));
  return check('job-order', true, `${pre.length} pre job(s) finished before the first of ${project.length} project job(s) started; ${post.length} post job(s) started after the last ended`);
}

function timesOf(job: JobRecord): Timed[] {
  const startedAt = job.startedAt === null ? Number.NaN : Date.parse(job.startedAt);
  if (Number.isNaN(startedAt)) return [];
  const finished = job.finishedAt === null ? Number.NaN : Date.parse(job.finishedAt);
  return [{ name: job.name, startedAt, finishedAt: Number.isNaN(finished) ? undefined : finished }];
}

function minBy<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || key(item) < key(best) ? item : best), undefined);
}

function maxBy<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || key(item) > key(best) ? item : best), undefined);
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
