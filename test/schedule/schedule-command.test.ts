/**
 * `policy-sidecar schedule`, in-process: workspace mode prints the plan; API mode (GitLab on
 * msw's wire) lists the project's pipeline schedules, prints the changes as a dry run, and with
 * --apply creates, updates and deletes ours, never touching a schedule someone else made.
 */
import { describe, expect, it } from 'vitest';
import { runSchedule } from '../../src/cli/commands/schedule.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { runInProcess } from '../helpers/temp-workspace.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { useGitlab } from '../http/gitlab-server.js';
import { newScheduleState, pipelineScheduleHandlers, type FakePipelineSchedule, type ScheduleCall } from '../http/pipeline-schedules-gitlab.js';

const WORKSPACE = 'test/fixtures/schedule/workspace';
const API = 'http://gitlab.test/api/v4';
const PROJECT_ID = 101;
const ENV = { CI_SERVER_URL: 'http://gitlab.test', POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN, CI_PROJECT_PATH: 'acme/web', POLICY_SIDECAR_POLICY_PROJECTS: 'security/policies' };
const AT = ['--at', '2025-06-01T00:30:00Z'];
const gitlab = useGitlab(gitlabHandlersFor(WORKSPACE, { only: ['project', 'raw-file', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] }));

async function scheduleInJob(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const parsed = parseCommandLine(['schedule', ...args]);
  if (parsed.kind !== 'run' || parsed.command !== 'schedule') throw new Error('not a schedule command line');
  let stdout = '';
  const io = { stdout: { write: (text: string) => void (stdout += text) }, stderr: { write: () => undefined }, env: ENV, cwd: process.cwd() };
  const code = await runSchedule(parsed.options, io, { dispatcher: gitlab.dispatcher, now: () => new Date('2025-06-01T00:30:00Z') });
  return { code, stdout };
}

const NIGHTLY_MAIN = 'policy-sidecar: Nightly SAST #1 (main)';
const NIGHTLY_RELEASE = 'policy-sidecar: Nightly SAST #1 (release/1)';
const WEEKLY = 'policy-sidecar: Weekly dependencies #0 (main)';

function fakeSchedule(id: number, description: string, changes: Partial<FakePipelineSchedule> = {}): FakePipelineSchedule {
  return { id, description, ref: 'refs/heads/main', cron: '0 2 * * *', cron_timezone: 'Europe/Berlin', active: true, variables: [], ...changes };
}

const variable = (value: string) => [{ key: 'POLICY_SIDECAR_SCHEDULED_SCAN', value, variable_type: 'env_var' as const }];

describe('schedule in workspace mode', () => {
  it('prints the plan: due scans, skipped rules and the schedules that should exist', async () => {
    const run = await runInProcess(['schedule', '--workspace', WORKSPACE, '--project', 'acme/web', '--policy-project', 'security/policies', ...AT], process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Scheduled scans of acme/web at 2025-06-01T00:30:00.000Z',
        '  "Nightly SAST" rule 1 on main: sast, secret_detection',
        '    cron "0 2 * * *" Europe/Berlin, window 900 s; last 2025-06-01T00:00:00.000Z, next 2025-06-02T00:00:00.000Z; not due',
        '  "Weekly dependencies" rule 0 on main: dependency_scanning',
        '    cron "0 0 * * 0" UTC, window 7200 s; last 2025-06-01T00:00:00.000Z, next 2025-06-08T00:00:00.000Z; DUE',
        'Not scheduled:',
        '  "Every four hours" rule 0: cadence "0 */4 * * *": GitLab skips cadences whose minute or hour field uses , - or / (daily or weekly cadences only)',
        'Pipeline schedules (workspace mode: the schedules that should exist):',
        `  create "${NIGHTLY_MAIN}": ref main, cron "0 2 * * *" Europe/Berlin, POLICY_SIDECAR_SCHEDULED_SCAN=security/policies:0:1`,
        `  create "${WEEKLY}": ref main, cron "0 0 * * 0" UTC, POLICY_SIDECAR_SCHEDULED_SCAN=security/policies:1:0`,
        '',
      ].join('\n'),
    );
  });

  it('--apply needs the API; --at must be ISO 8601', async () => {
    const base = ['schedule', '--workspace', WORKSPACE, '--project', 'acme/web', '--policy-project', 'security/policies'];
    const apply = await runInProcess([...base, '--apply'], process.cwd());
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toContain('--apply needs the GitLab API: leave out --workspace');
    const at = await runInProcess([...base, '--at', 'tomorrow'], process.cwd());
    expect(at.stderr).toContain('--at tomorrow is not an ISO 8601 time');
  });
});

describe('schedule in API mode', () => {
  const calls = (...extra: ScheduleCall[]): ScheduleCall[] => ['GET branches', 'GET schedules', ...extra];

  it('dry run: lists, reads only our schedules\' variables, changes nothing', async () => {
    const state = newScheduleState(['main', 'release/1', 'feature'], [
      fakeSchedule(1, 'nightly deploy', { cron: '0 3 * * *' }),
      fakeSchedule(2, NIGHTLY_MAIN, { variables: variable('security/policies:0:1') }),
    ]);
    gitlab.use(...pipelineScheduleHandlers(API, PROJECT_ID, state, calls('GET schedule')));
    const before = JSON.stringify(state.schedules);
    const run = await scheduleInJob(AT);
    expect(run.code).toBe(0);
    expect(run.stdout.slice(run.stdout.indexOf('Pipeline schedules'))).toBe(
      [
        'Pipeline schedules (dry run; --apply changes GitLab):',
        `  keep #2 "${NIGHTLY_MAIN}"`,
        `  create "${NIGHTLY_RELEASE}": ref release/1, cron "0 2 * * *" Europe/Berlin, POLICY_SIDECAR_SCHEDULED_SCAN=security/policies:0:1`,
        `  create "${WEEKLY}": ref main, cron "0 0 * * 0" UTC, POLICY_SIDECAR_SCHEDULED_SCAN=security/policies:1:0`,
        '',
      ].join('\n'),
    );
    expect(JSON.stringify(state.schedules)).toBe(before);
    expect(gitlab.requests.filter((request) => request.url.includes('/pipeline_schedules/1'))).toEqual([]);
  });

  it('--apply creates, updates and deletes ours; a second run keeps everything', async () => {
    const state = newScheduleState(['main', 'release/1'], [
      fakeSchedule(1, 'nightly deploy', { cron: '0 3 * * *' }),
      fakeSchedule(2, NIGHTLY_MAIN, { cron: '0 1 * * *', variables: variable('security/policies:9:9') }),
      fakeSchedule(3, 'policy-sidecar: Removed policy #0 (main)', { variables: variable('security/policies:4:0') }),
    ]);
    gitlab.use(...pipelineScheduleHandlers(API, PROJECT_ID, state, calls('GET schedule', 'POST schedule', 'PUT schedule', 'DELETE schedule', 'POST variable', 'PUT variable', 'POST take_ownership')));
    const first = await scheduleInJob([...AT, '--apply']);
    expect(first.stdout).toContain('Pipeline schedules (applied):');
    expect(first.stdout).toContain(`  update #2 "${NIGHTLY_MAIN}": cron "0 1 * * *" → "0 2 * * *"; variable POLICY_SIDECAR_SCHEDULED_SCAN security/policies:9:9 → security/policies:0:1`);
    expect(first.stdout).toContain('  delete #3 "policy-sidecar: Removed policy #0 (main)"');
    expect(state.schedules.map((schedule) => [schedule.id, schedule.description, schedule.ref, schedule.cron, schedule.cron_timezone, schedule.variables.map((v) => v.value)])).toEqual([
      [1, 'nightly deploy', 'refs/heads/main', '0 3 * * *', 'Europe/Berlin', []],
      [2, NIGHTLY_MAIN, 'refs/heads/main', '0 2 * * *', 'Europe/Berlin', ['security/policies:0:1']],
      [500, NIGHTLY_RELEASE, 'refs/heads/release/1', '0 2 * * *', 'Europe/Berlin', ['security/policies:0:1']],
      [501, WEEKLY, 'refs/heads/main', '0 0 * * 0', 'UTC', ['security/policies:1:0']],
    ]);
    const second = await scheduleInJob([...AT, '--apply']);
    expect(second.stdout.slice(second.stdout.indexOf('Pipeline schedules'))).toBe(
      ['Pipeline schedules (applied):', `  keep #2 "${NIGHTLY_MAIN}"`, `  keep #500 "${NIGHTLY_RELEASE}"`, `  keep #501 "${WEEKLY}"`, ''].join('\n'),
    );
    expect(state.exposed).toEqual([]);
  });

  it('pipeline variables refused (403): no schedule is ever active without its variable, and none is left', async () => {
    const state = newScheduleState(['main', 'release/1']);
    state.pipelineVariablesAllowed = false; // GitLab.com's default for new projects: "no one allowed"
    gitlab.use(...pipelineScheduleHandlers(API, PROJECT_ID, state, calls('POST schedule', 'POST variable', 'DELETE schedule')));
    const run = await runSchedule(parseSchedule([...AT, '--apply']), ioFor(), { dispatcher: gitlab.dispatcher, now: () => new Date('2025-06-01T00:30:00Z') }).catch((error: unknown) => error);
    expect(run).toMatchObject({ code: 'schedule-not-set-up' });
    expect(String((run as Error).message)).toContain('could not be given its variable and was deleted');
    expect(state.exposed).toEqual([]);
    expect(state.schedules).toEqual([]);
  });

  it("updating another user's schedule takes ownership first (only the owner may update it)", async () => {
    const state = newScheduleState(['main', 'release/1'], [
      fakeSchedule(2, NIGHTLY_MAIN, { cron: '0 1 * * *', variables: variable('security/policies:0:1'), ownerId: 42 }),
      fakeSchedule(3, NIGHTLY_RELEASE, { ref: 'refs/heads/release/1', variables: variable('security/policies:0:1'), ownerId: 42 }),
      fakeSchedule(4, WEEKLY, { cron: '0 0 * * 0', cron_timezone: 'UTC', variables: variable('security/policies:1:0'), ownerId: 42 }),
    ]);
    gitlab.use(...pipelineScheduleHandlers(API, PROJECT_ID, state, calls('GET schedule', 'PUT schedule', 'POST take_ownership')));
    const run = await scheduleInJob([...AT, '--apply']);
    expect(run.code).toBe(0);
    expect(state.schedules.map((schedule) => [schedule.id, schedule.cron, schedule.ownerId])).toEqual([
      [2, '0 2 * * *', 1],
      [3, '0 2 * * *', 42],
      [4, '0 0 * * 0', 42],
    ]);
    const order = gitlab.requests.filter((request) => request.method !== 'GET' && request.url.includes('/pipeline_schedules')).map((request) => `${request.method} ${new URL(request.url).pathname.replace('/api/v4/projects/101', '')}`);
    expect(order).toEqual(['POST /pipeline_schedules/2/take_ownership', 'PUT /pipeline_schedules/2']);
  });
});

function parseSchedule(args: readonly string[]) {
  const parsed = parseCommandLine(['schedule', ...args]);
  if (parsed.kind !== 'run' || parsed.command !== 'schedule') throw new Error('not a schedule command line');
  return parsed.options;
}

function ioFor() {
  return { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: ENV, cwd: process.cwd() };
}
