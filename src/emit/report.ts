/**
 * The JSON report (SPEC §6): what was applied and why, for machines. Field order is fixed and
 * nothing time- or host-dependent is written, so the report is as deterministic as the YAML.
 */
import type { ResolvedPipeline } from '../ci/pipeline.js';
import { formatLocation } from '../errors.js';

export interface ReportSubject {
  readonly project: string;
  readonly configPath: string;
  readonly pipelineSource: string;
  readonly ref: string;
}

export interface PipelineReport {
  readonly version: 1;
  readonly project: string;
  readonly configPath: string;
  readonly pipelineSource: string;
  readonly ref: string;
  readonly created: boolean;
  readonly reason: string;
  readonly name: string | null;
  readonly policies: readonly unknown[];
  readonly stages: readonly string[];
  readonly jobs: readonly {
    readonly name: string;
    readonly originalName: string;
    readonly origin: 'project' | 'policy';
    readonly policy: string | null;
    readonly stage: string;
    readonly when: string;
    readonly decidedBy: string;
    readonly definedAt: string | null;
  }[];
  readonly excludedJobs: readonly { readonly name: string; readonly reason: string; readonly definedAt: string | null }[];
  readonly files: readonly { readonly kind: string; readonly location: string }[];
}

export function buildReport(pipeline: ResolvedPipeline, subject: ReportSubject): PipelineReport {
  return {
    version: 1,
    project: subject.project,
    configPath: subject.configPath,
    pipelineSource: subject.pipelineSource,
    ref: subject.ref,
    created: pipeline.created,
    reason: pipeline.reason,
    name: pipeline.name ?? null,
    policies: [],
    stages: [...pipeline.stages],
    jobs: pipeline.jobs.map((job) => ({
      name: job.name,
      originalName: job.name,
      origin: 'project' as const,
      policy: null,
      stage: job.stage,
      when: job.when,
      decidedBy: job.decision,
      definedAt: job.location === undefined ? null : formatLocation(job.location),
    })),
    excludedJobs: pipeline.excluded.map((job) => ({
      name: job.name,
      reason: job.reason,
      definedAt: job.location === undefined ? null : formatLocation(job.location),
    })),
    files: pipeline.files.map((file) => ({ kind: file.kind, location: file.location })),
  };
}

export function emitReportJson(report: PipelineReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
