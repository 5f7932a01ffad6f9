/**
 * A fake project's repository branches and pipeline schedules for `policy-sidecar schedule`,
 * answering like GitLab (docs "api/branches", "api/pipeline_schedules"): schedules and their
 * variables live in `state`, so a second run sees what the first wrote. The list omits
 * variables and returns `ref` as `refs/heads/<branch>`, as newer GitLab does. Permissions as in
 * lib/api/ci/pipeline_schedules.rb: only the owner updates a schedule (`update_pipeline_schedule`)
 * and a Maintainer takes ownership (`take_ownership`); setting a variable also needs
 * `set_pipeline_variables` (refused when the project lets no one use pipeline variables).
 * Every write checks that none of ours is active without its variable, into `state.exposed`.
 * Handlers are keyed by call so a test declares only those it uses. Lives here because only
 * test/http may import msw.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { gitlabError, paginated } from './gitlab-responses.js';

export interface FakePipelineSchedule {
  id: number;
  description: string;
  ref: string;
  cron: string;
  cron_timezone: string;
  active: boolean;
  variables: { key: string; value: string; variable_type: 'env_var' }[];
  /** The owner's user id; the token's user when left out. */
  ownerId?: number;
}

export interface FakeScheduleState {
  readonly branches: readonly string[];
  readonly schedules: FakePipelineSchedule[];
  nextId: number;
  /** The token's user (1 by default). */
  currentUserId?: number;
  /** false: the project's minimum role for pipeline variables is "no one allowed". */
  pipelineVariablesAllowed?: boolean;
  /** `#id` of each of our schedules seen active without POLICY_SIDECAR_SCHEDULED_SCAN after a write. */
  readonly exposed: string[];
}

export type ScheduleCall =
  | 'GET branches'
  | 'GET schedules'
  | 'GET schedule'
  | 'POST schedule'
  | 'PUT schedule'
  | 'DELETE schedule'
  | 'POST variable'
  | 'PUT variable'
  | 'POST take_ownership';

export function newScheduleState(branches: readonly string[], schedules: FakePipelineSchedule[] = []): FakeScheduleState {
  return { branches, schedules, nextId: 500, exposed: [] };
}

export function pipelineScheduleHandlers(apiUrl: string, projectId: number, state: FakeScheduleState, calls: readonly ScheduleCall[]): RequestHandler[] {
  const base = `${apiUrl}/projects/${projectId}`;
  const body = async (request: Request): Promise<Record<string, unknown>> => (await request.json()) as Record<string, unknown>;
  const find = (id: unknown) => state.schedules.find((schedule) => schedule.id === Number(id));
  const fullRef = (ref: unknown) => (String(ref).startsWith('refs/') ? String(ref) : `refs/heads/${String(ref)}`);
  const listed = ({ variables: _variables, ownerId: _ownerId, ...rest }: FakePipelineSchedule) => rest;
  const me = (): number => state.currentUserId ?? 1;
  const owns = (schedule: FakePipelineSchedule): boolean => (schedule.ownerId ?? me()) === me();
  const checkExposure = (): void => {
    for (const schedule of state.schedules) {
      const ours = schedule.description.startsWith('policy-sidecar: ');
      if (ours && schedule.active && !schedule.variables.some((variable) => variable.key === 'POLICY_SIDECAR_SCHEDULED_SCAN')) state.exposed.push(`#${schedule.id}`);
    }
  };
  const variablesRefused = (): Response | undefined => (state.pipelineVariablesAllowed === false ? gitlabError(403, '403 Forbidden') : undefined);
  const all: Record<ScheduleCall, RequestHandler> = {
    'GET branches': http.get(`${base}/repository/branches`, ({ request }) => paginated(request, state.branches.map((name) => ({ name, protected: false, default: name === 'main' })))),
    'GET schedules': http.get(`${base}/pipeline_schedules`, ({ request }) => paginated(request, state.schedules.map(listed))),
    'GET schedule': http.get(`${base}/pipeline_schedules/:id`, ({ params }) => {
      const schedule = find(params['id']);
      return schedule === undefined ? gitlabError(404, '404 Not found') : HttpResponse.json(schedule);
    }),
    'POST schedule': http.post(`${base}/pipeline_schedules`, async ({ request }) => {
      const fields = await body(request);
      const schedule: FakePipelineSchedule = {
        id: state.nextId++,
        description: String(fields['description']),
        ref: fullRef(fields['ref']),
        cron: String(fields['cron']),
        cron_timezone: String(fields['cron_timezone'] ?? 'UTC'),
        active: fields['active'] !== false,
        variables: [],
        ownerId: me(),
      };
      state.schedules.push(schedule);
      checkExposure();
      return HttpResponse.json(listed(schedule), { status: 201 });
    }),
    'PUT schedule': http.put(`${base}/pipeline_schedules/:id`, async ({ request, params }) => {
      const schedule = find(params['id']);
      if (schedule === undefined) return gitlabError(404, '404 Not found');
      if (!owns(schedule)) return gitlabError(403, '403 Forbidden');
      const fields = await body(request);
      if (fields['ref'] !== undefined) schedule.ref = fullRef(fields['ref']);
      if (typeof fields['cron'] === 'string') schedule.cron = fields['cron'];
      if (typeof fields['cron_timezone'] === 'string') schedule.cron_timezone = fields['cron_timezone'];
      if (typeof fields['active'] === 'boolean') schedule.active = fields['active'];
      checkExposure();
      return HttpResponse.json(listed(schedule));
    }),
    'DELETE schedule': http.delete(`${base}/pipeline_schedules/:id`, ({ params }) => {
      const index = state.schedules.findIndex((schedule) => schedule.id === Number(params['id']));
      if (index < 0) return gitlabError(404, '404 Not found');
      state.schedules.splice(index, 1);
      return new HttpResponse(null, { status: 204 });
    }),
    'POST variable': http.post(`${base}/pipeline_schedules/:id/variables`, async ({ request, params }) => {
      const schedule = find(params['id']);
      if (schedule === undefined) return gitlabError(404, '404 Not found');
      const refused = variablesRefused() ?? (owns(schedule) ? undefined : gitlabError(403, '403 Forbidden'));
      if (refused !== undefined) return refused;
      const fields = await body(request);
      const key = String(fields['key']);
      if (schedule.variables.some((variable) => variable.key === key)) return gitlabError(400, '400 Bad request - Key has already been taken');
      const variable = { key, value: String(fields['value']), variable_type: 'env_var' as const };
      schedule.variables.push(variable);
      return HttpResponse.json(variable, { status: 201 });
    }),
    'PUT variable': http.put(`${base}/pipeline_schedules/:id/variables/:key`, async ({ request, params }) => {
      const schedule = find(params['id']);
      const refused = variablesRefused() ?? (schedule !== undefined && !owns(schedule) ? gitlabError(403, '403 Forbidden') : undefined);
      if (refused !== undefined) return refused;
      const variable = schedule?.variables.find((candidate) => candidate.key === params['key']);
      if (variable === undefined) return gitlabError(404, '404 Variable Not Found');
      variable.value = String((await body(request))['value']);
      return HttpResponse.json(variable);
    }),
    'POST take_ownership': http.post(`${base}/pipeline_schedules/:id/take_ownership`, ({ params }) => {
      const schedule = find(params['id']);
      if (schedule === undefined) return gitlabError(404, '404 Not found');
      const already = owns(schedule);
      schedule.ownerId = me();
      return HttpResponse.json(listed(schedule), { status: already ? 200 : 201 });
    }),
  };
  return calls.map((call) => all[call]);
}
