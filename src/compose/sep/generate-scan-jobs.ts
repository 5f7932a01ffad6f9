/**
 * The jobs of every applicable scan execution policy action (gitlab-pep-sep.md §5.2): each
 * action's template read once, its jobs built, then their rules decided in the pipeline's context.
 */
import type { ExcludedJob } from '../../ci/pipeline.js';
import type { CiLimits } from '../../ci/limits.js';
import { PolicyError } from '../../errors.js';
import type { ComposedJob } from '../types.js';
import { buildScanJobs } from './build-scan-jobs.js';
import { decideScanJobs, type ScanJobContext } from './decide-scan-jobs.js';
import { readScanTemplate, type ScanTemplateConfig } from './read-scan-template.js';
import { scanTemplateName, type ScanTemplates } from './scan-templates.js';
import type { ScanAction } from './select-actions.js';

export interface ScanJobsRequest {
  readonly actions: readonly ScanAction[];
  readonly templates: ScanTemplates;
  readonly limits: CiLimits;
  readonly scope: ScanJobContext;
}

/** What one action produced, for the report. */
export interface ActionJobs {
  readonly action: ScanAction;
  /** The template file used; undefined when the action became an error job before reading one. */
  readonly template: string | undefined;
  /** Its jobs in the pipeline (before a later job of the same name could replace one). */
  readonly jobs: readonly string[];
  /** Its jobs that their rules left out. */
  readonly excluded: readonly string[];
}

export interface GeneratedScanJobs {
  readonly jobs: readonly ComposedJob[];
  readonly excluded: readonly ExcludedJob[];
  readonly perAction: readonly ActionJobs[];
}

export async function generateScanJobs(request: ScanJobsRequest): Promise<GeneratedScanJobs> {
  const read = new Map<string, ScanTemplateConfig>();
  const jobs: ComposedJob[] = [];
  const excluded: ExcludedJob[] = [];
  const perAction: ActionJobs[] = [];
  for (const action of request.actions) {
    const config = templateFor(action, request, read);
    const decided = await decideScanJobs(buildScanJobs(action, config), request.scope);
    jobs.push(...decided.jobs);
    excluded.push(...decided.excluded);
    const usedTemplate = decided.jobs.some((job) => job.origin.kind === 'scan-policy' && job.origin.template === undefined) ? undefined : config.template.name;
    perAction.push({ action, template: usedTemplate, jobs: decided.jobs.map((job) => job.name), excluded: decided.excluded.map((job) => job.name) });
  }
  return { jobs, excluded, perAction };
}

function templateFor(action: ScanAction, request: ScanJobsRequest, read: Map<string, ScanTemplateConfig>): ScanTemplateConfig {
  const name = scanTemplateName(action.scan, action.template);
  const cached = read.get(name);
  if (cached !== undefined) return cached;
  const template = request.templates.get(name);
  if (template === undefined) {
    throw new PolicyError('scan-template-missing', `no scan template ${name} for the ${action.scan} action of scan execution policy "${action.policy.policy.name}"`, {
      location: action.policy.location,
      hint: 'policy-sidecar ships templates/scans/; a --templates folder replaces them file by file.',
    });
  }
  const config = readScanTemplate(template, request.limits);
  read.set(name, config);
  return config;
}
