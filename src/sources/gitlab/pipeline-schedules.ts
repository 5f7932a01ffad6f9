/**
 * The GitLab calls of `policy-sidecar schedule` (docs "api/pipeline_schedules", "api/branches"):
 * the repository's branches, the project's pipeline schedules (with the variables of ours), and
 * the writes that keep ours in line with the plan. Every response is checked by a shape where it
 * enters; paths are encoded per segment. Schedules not created by us are read but never written.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment, projectPath } from '../../http/gitlab-paths.js';
import type { WantedPipelineSchedule } from '../../schedule/plan-schedules.js';
import type { ExistingPipelineSchedule } from '../../schedule/reconcile-schedules.js';
import { checkResponse, boolean, integer, list, nullable, object, optional, string, type Shape } from './response-shape.js';

const branchShape = object({ name: string });
const scheduleFields = {
  id: integer,
  description: nullable(string),
  ref: string,
  cron: string,
  cron_timezone: string,
  active: boolean,
};
const scheduleShape = object(scheduleFields);
const scheduleWithVariablesShape = object({ ...scheduleFields, variables: optional(list(object({ key: string, value: nullable(string) }))) });

export interface PipelineScheduleApi {
  /** Names of the repository's branches. */
  branches(): Promise<string[]>;
  /** Every pipeline schedule; `variables` are read (one request each) for those `isOurs` accepts. */
  schedules(isOurs: (description: string) => boolean): Promise<ExistingPipelineSchedule[]>;
  create(wanted: WantedPipelineSchedule): Promise<number>;
  update(id: number, wanted: WantedPipelineSchedule, existing: ExistingPipelineSchedule): Promise<void>;
  remove(id: number): Promise<void>;
}

export function createPipelineScheduleApi(client: HttpClient, project: string | number): PipelineScheduleApi {
  const base = projectPath(project);
  const schedulePath = (id: number): string => `${base}/pipeline_schedules/${encodePathSegment(id)}`;
  const all = async <T>(path: string, shape: Shape<T>, endpoint: string): Promise<T[]> => {
    const items: unknown[] = [];
    for await (const item of client.paginate(path)) items.push(item);
    return checkResponse(list(shape), items, endpoint);
  };
  const setVariable = async (id: number, key: string, value: string, exists: boolean): Promise<void> => {
    if (exists) {
      await client.request('PUT', `${schedulePath(id)}/variables/${encodePathSegment(key)}`, { json: { value } });
    } else {
      await client.request('POST', `${schedulePath(id)}/variables`, { json: { key, value } });
    }
  };

  /** Runs `steps` on schedule `id`; on any failure deletes the schedule, then reports why. */
  const undoOnFailure = async (id: number, steps: () => Promise<void>): Promise<void> => {
    try {
      await steps();
    } catch (error) {
      await client.request('DELETE', schedulePath(id), { acceptStatuses: [404] }).catch(() => undefined);
      const refused = error instanceof SourceError && error.code === 'http-403';
      throw new SourceError('schedule-not-set-up', `pipeline schedule #${id} could not be given its variable and was deleted: ${error instanceof Error ? error.message : String(error)}`, {
        hint: refused
          ? 'The project lets no one (or only higher roles) set pipeline variables (Settings > CI/CD > Variables > "Minimum role to use pipeline variables"): allow the token\'s role, Maintainer at least.'
          : 'Run the command again; a schedule left behind is ours and is reconciled on the next run.',
        cause: error,
        retryable: !refused,
      });
    }
  };

  return {
    async branches() {
      const branches = await all(`${base}/repository/branches`, branchShape, 'GET /projects/:id/repository/branches');
      return branches.map((branch) => branch.name);
    },
    async schedules(isOurs) {
      const listed = await all(`${base}/pipeline_schedules`, scheduleShape, 'GET /projects/:id/pipeline_schedules');
      const result: ExistingPipelineSchedule[] = [];
      for (const schedule of listed) {
        const description = schedule.description ?? '';
        let variables: Record<string, string> = {};
        if (isOurs(description)) {
          const response = await client.request('GET', schedulePath(schedule.id));
          const detail = checkResponse(scheduleWithVariablesShape, response.json(), 'GET /projects/:id/pipeline_schedules/:pipeline_schedule_id');
          variables = Object.fromEntries((detail.variables ?? []).map((variable) => [variable.key, variable.value ?? '']));
        }
        result.push({ id: schedule.id, description, ref: schedule.ref, cron: schedule.cron, cronTimezone: schedule.cron_timezone, active: schedule.active, variables });
      }
      return result;
    },
    async create(wanted) {
      // Created inactive, given its variable, then activated: an active schedule without
      // POLICY_SIDECAR_SCHEDULED_SCAN would run the whole project pipeline on its cron. Setting
      // a variable needs `set_pipeline_variables` (lib/api/ci/pipeline_schedules.rb), which
      // projects may grant to no one (GitLab.com's default for new projects): then the schedule goes.
      const response = await client.request('POST', `${base}/pipeline_schedules`, {
        json: { description: wanted.description, ref: wanted.ref, cron: wanted.cron, cron_timezone: wanted.cronTimezone, active: false },
      });
      const { id } = checkResponse(object({ id: integer }), response.json(), 'POST /projects/:id/pipeline_schedules');
      await undoOnFailure(id, async () => {
        for (const [key, value] of Object.entries(wanted.variables)) await setVariable(id, key, value, false);
        await client.request('PUT', schedulePath(id), { json: { active: true } });
      });
      return id;
    },
    async update(id, wanted, existing) {
      // Only its owner may update a schedule (`authorize! :update_pipeline_schedule`); a
      // Maintainer takes ownership first (`take_ownership`, `admin_pipeline_schedule`).
      // Taking ownership twice leaves the same owner: safe to repeat after a 5xx.
      await client.request('POST', `${schedulePath(id)}/take_ownership`, { idempotent: true });
      const changed = Object.entries(wanted.variables).filter(([key, value]) => existing.variables[key] !== value);
      const fields = { ref: wanted.ref, cron: wanted.cron, cron_timezone: wanted.cronTimezone };
      if (changed.length === 0) {
        await client.request('PUT', schedulePath(id), { json: { ...fields, active: true } });
        return;
      }
      // As on creation: inactive while its variable changes, deleted if the variable is refused.
      await client.request('PUT', schedulePath(id), { json: { ...fields, active: false } });
      await undoOnFailure(id, async () => {
        for (const [key, value] of changed) await setVariable(id, key, value, key in existing.variables);
        await client.request('PUT', schedulePath(id), { json: { active: true } });
      });
    },
    async remove(id) {
      await client.request('DELETE', schedulePath(id), { acceptStatuses: [404] });
    },
  };
}
