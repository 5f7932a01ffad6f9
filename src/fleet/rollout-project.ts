/**
 * What rollout does to one project: compare its CI configuration file setting with the central
 * file, and in apply mode record the previous value in the undo file, then set it
 * (`PUT /projects/:id` with `ci_config_path`, docs "api/projects#edit-a-project", Maintainer).
 * Undo puts back the recorded value, only where the project still holds the value rollout set:
 * a Maintainer's later choice is not overwritten.
 */
import type { FleetApi, FleetProject } from '../sources/gitlab/fleet-api.js';
import type { RolloutRow, UndoEntry } from './rollout-row.js';
import { appendUndoEntry } from './undo-file.js';

export interface RolloutSettings {
  readonly wanted: string;
  readonly apply: boolean;
  readonly undoFile: string | undefined;
  /** Projects an earlier (interrupted) run already changed. */
  readonly changedBefore: ReadonlySet<number>;
}

export async function rolloutProject(api: FleetApi, project: FleetProject, settings: RolloutSettings): Promise<RolloutRow> {
  const row = { id: project.id, project: project.path, previous: project.ciConfigPath, wanted: settings.wanted };
  if (project.ciConfigPath === undefined) return { ...row, outcome: 'forbidden', note: 'ci_config_path hidden: the token cannot read the code' };
  if (project.ciConfigPath === settings.wanted) {
    return settings.changedBefore.has(project.id) ? { ...row, outcome: 'changed', note: 'changed by an earlier run (undo file)' } : { ...row, outcome: 'already', note: '' };
  }
  if (!settings.apply || settings.undoFile === undefined) return { ...row, outcome: 'would change', note: '' };
  await appendUndoEntry(settings.undoFile, { id: project.id, project: project.path, previous: project.ciConfigPath, wanted: settings.wanted });
  const result = await api.setCiConfigPath(project.id, settings.wanted);
  if (result.kind === 'forbidden') return { ...row, outcome: 'forbidden', note: 'PUT /projects/:id: 403, changing the setting needs the Maintainer role' };
  if (result.kind === 'missing') return { ...row, outcome: 'gone', note: 'the project was moved or deleted during the run' };
  return { ...row, outcome: 'changed', note: '' };
}

export async function undoProject(api: FleetApi, entry: UndoEntry, apply: boolean): Promise<RolloutRow> {
  const row = { id: entry.id, project: entry.project, previous: entry.wanted, wanted: entry.previous };
  const current = await api.project(entry.id);
  if (current.kind === 'forbidden') return { ...row, outcome: 'forbidden', note: 'GET /projects/:id: 403' };
  if (current.kind === 'missing') return { ...row, outcome: 'gone', note: 'the project was moved or deleted' };
  const now = current.value.ciConfigPath;
  if (now === (entry.previous ?? null)) return { ...row, previous: now, outcome: 'kept', note: 'already holds the recorded value' };
  if (now !== entry.wanted) return { ...row, previous: now, outcome: 'kept', note: `changed since rollout (now ${now ?? '(default)'}): left as it is` };
  if (!apply) return { ...row, outcome: 'would restore', note: '' };
  // GitLab stores an empty ci_config_path as none: its default .gitlab-ci.yml.
  const result = await api.setCiConfigPath(entry.id, entry.previous ?? '');
  if (result.kind === 'forbidden') return { ...row, outcome: 'forbidden', note: 'PUT /projects/:id: 403, changing the setting needs the Maintainer role' };
  if (result.kind === 'missing') return { ...row, outcome: 'gone', note: 'the project was moved or deleted' };
  return { ...row, outcome: 'restored', note: '' };
}
