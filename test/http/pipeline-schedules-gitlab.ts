/**
 * A fake project's repository branches and pipeline schedules for `policy-sidecar schedule`,
 * answering like GitLab (docs "api/branches", "api/pipeline_schedules"): schedules and their
 * variables live in `state`, so a second run sees what the first wrote. The list omits
 * variables and returns `ref` as `refs/heads/<branch>`, as newer GitLab does. Handlers are keyed
 * by call so a test declares only those it uses. Lives here because only test/http may import msw.
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
}

export interface FakeScheduleState {
  readonly branches: readonly string[];
  readonly schedules: FakePipelineSchedule[];
  nextId: number;
}

export type ScheduleCall =
  | 'GET branches'
  | 'GET schedules'
  | 'GET schedule'
  | 'POST schedule'
  | 'PUT schedule'
  | 'DELETE schedule'
  | 'POST variable'
  | 'PUT variable';

export function newScheduleState(branches: readonly string[], schedules: FakePipelineSchedule[] = []): FakeScheduleState {
  return { branches, schedules, nextId: 500 };
}

export function pipelineScheduleHandlers(apiUrl: string, projectId: number, state: FakeScheduleState, calls: readonly ScheduleCall[]): RequestHandler[] {
  const base = `${apiUrl}/projects/${projectId}`;
  const body = async (request: Request): Promise<Record<string, unknown>> => (await request.json()) as Record<string, unknown>;
  const find = (id: unknown) => state.schedules.find((schedule) => schedule.id === Number(id));
  const fullRef = (ref: unknown) => (String(ref).startsWith('refs/') ? String(ref) : `refs/heads/${String(ref)}`);
  const listed = ({ variables: _variables, ...rest }: FakePipelineSchedule) => rest;
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
      };
      state.schedules.push(schedule);
      return HttpResponse.json(listed(schedule), { status: 201 });
    }),
    'PUT schedule': http.put(`${base}/pipeline_schedules/:id`, async ({ request, params }) => {
      const schedule = find(params['id']);
      if (schedule === undefined) return gitlabError(404, '404 Not found');
      const fields = await body(request);
      if (fields['ref'] !== undefined) schedule.ref = fullRef(fields['ref']);
      if (typeof fields['cron'] === 'string') schedule.cron = fields['cron'];
      if (typeof fields['cron_timezone'] === 'string') schedule.cron_timezone = fields['cron_timezone'];
      if (typeof fields['active'] === 'boolean') schedule.active = fields['active'];
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
      const fields = await body(request);
      const key = String(fields['key']);
      if (schedule.variables.some((variable) => variable.key === key)) return gitlabError(400, '400 Bad request - Key has already been taken');
      const variable = { key, value: String(fields['value']), variable_type: 'env_var' as const };
      schedule.variables.push(variable);
      return HttpResponse.json(variable, { status: 201 });
    }),
    'PUT variable': http.put(`${base}/pipeline_schedules/:id/variables/:key`, async ({ request, params }) => {
      const variable = find(params['id'])?.variables.find((candidate) => candidate.key === params['key']);
      if (variable === undefined) return gitlabError(404, '404 Variable Not Found');
      variable.value = String((await body(request))['value']);
      return HttpResponse.json(variable);
    }),
  };
  return calls.map((call) => all[call]);
}
