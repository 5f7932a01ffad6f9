/**
 * `compose` with a store: the pipeline record (which policy versions the pipeline was composed
 * with, and the result), and `--policies-from store`. The versions are named by the digest of
 * what was actually read (sync/policy-content.ts), the same digest sync stores, so a pipeline
 * composed from the API while the store is stale still names the content it ran.
 */
import type { PipelineReport } from '../emit/report.js';
import type { PolicyFile } from '../policies/types.js';
import { POLICY_FILE_PATH, validatePolicyFile } from '../policies/validate-policy-file.js';
import { createStoredPolicySource } from '../sources/store/stored-policy-source.js';
import type { Source } from '../sources/source.js';
import type { PolicyStore } from '../store/open-store.js';
import type { AppliedPolicyVersion } from '../store/pipeline-records.js';
import { policyIdOf } from '../store/policy-id.js';
import { readPolicyContent } from '../sync/policy-content.js';
import type { PipelineRequest } from './pipeline-request.js';

export async function withStoredPolicies(request: PipelineRequest, store: PolicyStore): Promise<PipelineRequest> {
  const stored = await store.readPolicyProjects(request.policyProjects);
  return { ...request, source: createStoredPolicySource(request.policyProjects, stored, request.source) };
}

export interface ComposedPipelineFacts {
  readonly request: PipelineRequest;
  readonly report: PipelineReport | undefined;
  readonly pipelineId: number;
  readonly failure: string | undefined;
}

export async function recordComposedPipeline(store: PolicyStore, facts: ComposedPipelineFacts): Promise<void> {
  const { request, report } = facts;
  const policies = report === undefined || report.policyFailure !== null ? [] : await appliedVersions(request, report);
  await store.recordPipeline({
    projectPath: request.context.projectPath,
    pipelineId: facts.pipelineId,
    sha: request.context.predefined['CI_COMMIT_SHA'] ?? null,
    ref: request.ref,
    source: request.context.predefined['CI_PIPELINE_SOURCE'] ?? 'push',
    result: facts.failure !== undefined ? `failed: ${facts.failure}` : report?.policyFailure !== null ? 'composed-fail-open' : 'composed',
    policies,
  });
}

async function appliedVersions(request: PipelineRequest, report: PipelineReport): Promise<AppliedPolicyVersion[]> {
  const source: Source = request.source;
  const versions: AppliedPolicyVersion[] = [];
  for (const path of new Set(report.policies.map((policy) => policy.policyProject))) {
    const text = await source.readFile(path, POLICY_FILE_PATH, undefined);
    const metadata = await source.readProject(path);
    if (text === undefined || metadata === undefined) continue;
    const file: PolicyFile = validatePolicyFile(text, `${path}:${POLICY_FILE_PATH}`, { path, id: metadata.id });
    for (const decision of report.policies.filter((policy) => policy.policyProject === path)) {
      const loaded = file.policies.find((candidate) => candidate.policy.type === decision.type && candidate.index === decision.index);
      if (loaded === undefined) continue;
      const content = await readPolicyContent(text, loaded, (project, filePath, ref) => source.readFile(project, filePath, ref));
      const ranNoJobs = decision.outcome === 'applied-no-jobs';
      versions.push({
        policyId: policyIdOf(path, decision.type, decision.name),
        digest: content.digest,
        applied: decision.applied && !ranNoJobs,
        reason: ranNoJobs ? `${decision.reason}; applied, but every job it made dropped out by rules` : decision.reason,
      });
    }
  }
  return versions;
}
