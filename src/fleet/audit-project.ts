/**
 * The audit of one project: the reads it needs (latest default-branch pipeline, the verifier's
 * status on its SHA, the variable keys) and the row they make. Three requests per project; a
 * 403 or 404 on one of them is a note on the row, never the end of the run.
 */
import type { FleetApi } from '../sources/gitlab/fleet-api.js';
import { VERIFIED_STATUS, type AppliedPolicy, type AuditRow } from './audit-row.js';
import { findDrift } from './drift.js';
import type { FramedProject } from './with-frameworks.js';

export interface AuditSettings {
  /** `pipeline.yml@platform/ci`: the value that means enforced. */
  readonly centralConfig: string;
  readonly policiesOf: (project: FramedProject) => AppliedPolicy[];
}

export async function auditProject(api: FleetApi, project: FramedProject, settings: AuditSettings): Promise<AuditRow> {
  const notes: string[] = [];
  const base = {
    id: project.id,
    project: project.path,
    enforced: isCentral(project.ciConfigPath, settings.centralConfig),
    ciConfigPath: project.ciConfigPath,
  };
  if (project.ciConfigPath === undefined) notes.push('ci_config_path hidden: the token needs read access to the code');
  if (project.complianceFrameworks === 'unreadable') notes.push('compliance frameworks: GraphQL could not read them (the token needs read_api and access to the project)');
  let pipeline: AuditRow['pipeline'] = null;
  let verified = 'none';
  if (project.defaultBranch !== null) {
    const latest = await api.latestPipeline(project.id, project.defaultBranch);
    if (latest.kind === 'forbidden') notes.push('pipelines: 403, the token cannot read them');
    if (latest.kind === 'found') {
      pipeline = { id: latest.value.id, status: latest.value.status, sha: latest.value.sha };
      const status = await api.commitStatus(project.id, latest.value.sha, VERIFIED_STATUS);
      if (status.kind === 'found') verified = status.value;
      if (status.kind === 'forbidden') notes.push('commit statuses: 403, the token cannot read them');
    }
  } else {
    notes.push('no default branch: the project has no repository');
  }
  const variables = await api.variableKeys(project.id);
  if (variables.kind === 'forbidden') notes.push('variables: 403, listing them needs the Maintainer role');
  if (variables.kind === 'missing') return { ...base, state: 'gone', policies: [], pipeline, verified, drift: [], notes: [...notes, 'the project was moved or deleted during the run'] };
  if (project.restrictUserDefinedVariables === undefined) notes.push('pipeline variable settings hidden: reading them needs the Maintainer role');
  const drift = findDrift({
    variableKeys: variables.kind === 'found' ? variables.value : undefined,
    restrictUserDefinedVariables: project.restrictUserDefinedVariables,
    pipelineVariablesMinimumRole: project.pipelineVariablesMinimumRole,
  });
  return { ...base, state: 'ok', policies: settings.policiesOf(project), pipeline, verified, drift, notes };
}

/**
 * Exactly the central value. GitLab also accepts `file@group/project:ref` (docs "ci/pipelines/
 * settings#specify-a-custom-cicd-configuration-file"): a ref suffix, a blank or any other
 * spelling may name another file or a branch the project controls, so it is not enforced.
 */
export function isCentral(value: string | null | undefined, central: string): boolean {
  return value === central;
}
