/**
 * A simulated fleet for `audit` and `rollout`: group `acme` (id 10) with ten subgroups and
 * `size` projects generated from their index, so 10,000 projects cost no memory up front.
 * Answers like GitLab's REST API (docs "api/groups#list-projects" with keyset pagination and
 * `id_after`, "api/projects", "api/pipelines", "api/commits#list-the-statuses-of-a-commit",
 * "api/project_level_variables"); routes it does not own fall through to the next handlers (the
 * example workspace's fake instance serves the policy project). Faults are switched on by
 * options, each deterministic: by project index or by the number of projects served, never by time.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { gitlabError } from './gitlab-responses.js';

export const FLEET_ROOT = { id: 10, fullPath: 'acme' };
export const CENTRAL = 'pipeline.yml@platform/ci';
const FIRST_ID = 100_000;
const SUBGROUPS = 10;

export interface FleetOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly size: number;
  /** Project indexes listed, then 404 on every later request: moved out or deleted mid-run. */
  readonly gone?: ReadonlySet<number>;
  /** First attempt of `pipelines/latest` of these indexes answers 502. */
  readonly flaky?: ReadonlySet<number>;
  /** First attempt of `variables` of these indexes is never answered (the client's timeout ends it). */
  readonly stalled?: ReadonlySet<number>;
  /** First attempt of `variables` of these indexes answers 429 with Retry-After: 1. */
  readonly rateLimited?: ReadonlySet<number>;
  /** Canary pipelines of these indexes fail. */
  readonly failingCanaries?: ReadonlySet<number>;
  /** Shape of `ci_config_path` of these indexes, replacing the generated one (attack cases). */
  readonly configPaths?: ReadonlyMap<number, string>;
  /** GraphQL resolves these projects to null (a token that cannot see them): frameworks unreadable. */
  readonly hiddenFromGraphql?: ReadonlySet<number>;
  /** Compliance-framework queries naming one of these indexes answer HTTP 403 as a whole. */
  readonly graphqlForbidden?: ReadonlySet<number>;
  /** Compliance-framework queries naming one of these indexes answer HTTP 500, every attempt. */
  readonly graphqlBroken?: ReadonlySet<number>;
  /**
   * `variables` of these indexes is answered only once a `graphqlBroken` query has answered 500
   * `failures` times, and `settleMs` later (the client has read that answer): the audit of these
   * projects is still in flight when the frameworks read gives up.
   */
  readonly heldUntilFrameworksFail?: { readonly indexes: ReadonlySet<number>; readonly failures: number; readonly settleMs: number };
}

export interface FleetStandIn {
  readonly handlers: RequestHandler[];
  /** After this many projects' variables were answered, every request answers 500 until heal(). */
  breakAfter(projects: number): void;
  /** After this many settings were written, every request answers 500 until heal(). */
  breakAfterWrites(writes: number): void;
  heal(): void;
  /** Current ci_config_path of a project index (rollout writes it). */
  configPathOf(index: number): string | null;
  /** `variables` requests answered per project index (how many times a project was audited). */
  readonly audits: ReadonlyMap<number, number>;
  readonly writes: readonly string[];
  /** The project paths of each compliance-framework GraphQL query answered, one entry per request. */
  readonly frameworkQueries: readonly (readonly string[])[];
}

/** Compliance framework ids of a project index: framework 3 ("SOC 2") on every fourth project. */
export const fleetFrameworksOf = (index: number): number[] => (index % 4 === 0 ? [3] : []);

export const fleetProjectId = (index: number): number => FIRST_ID + index;
const indexOf = (id: number): number => id - FIRST_ID;
const shaOf = (index: number): string => index.toString(16).padStart(40, '0');

export function fleetStandIn(options: FleetOptions): FleetStandIn {
  const api = `${options.baseUrl}/api/v4`;
  const settings = new Map<number, string | null>();
  const attempts = new Map<string, number>();
  const audits = new Map<number, number>();
  const writes: string[] = [];
  const frameworkQueries: string[][] = [];
  const outage = { after: Number.POSITIVE_INFINITY, afterWrites: Number.POSITIVE_INFINITY, broken: false };
  const canaries = new Map<number, { index: number }>();
  let brokenAnswers = 0;
  let releaseHeld = (): void => undefined;
  const frameworksFailed = new Promise<void>((resolve) => {
    releaseHeld = resolve;
  });
  const firstAttempt = (key: string): boolean => {
    const count = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, count);
    return count === 1;
  };
  const configPathOf = (index: number): string | null => {
    if (settings.has(index)) return settings.get(index) ?? null;
    const forced = options.configPaths?.get(index);
    if (forced !== undefined) return forced;
    return index % 3 !== 2 ? CENTRAL : index % 6 === 2 ? null : '.gitlab-ci.yml';
  };
  const maintainer = (index: number): boolean => index % 11 !== 5;
  const projectJson = (index: number): Record<string, unknown> => {
    const team = index % SUBGROUPS;
    return {
      id: fleetProjectId(index),
      path_with_namespace: `acme/team-${team}/app-${index}`,
      default_branch: 'main',
      ci_config_path: configPathOf(index),
      archived: index % 50 === 49,
      namespace: { id: 5000 + team, kind: 'group', full_path: `acme/team-${team}` },
      ...(maintainer(index)
        ? {
            restrict_user_defined_variables: index % 5 !== 1,
            ci_pipeline_variables_minimum_override_role: index % 5 === 2 ? 'developer' : 'maintainer',
          }
        : {}),
    };
  };
  const groupJson = (id: number): Record<string, unknown> | undefined => {
    if (id === FLEET_ROOT.id) return { id, full_path: FLEET_ROOT.fullPath, parent_id: null };
    if (id >= 5000 && id < 5000 + SUBGROUPS) return { id, full_path: `acme/team-${id - 5000}`, parent_id: FLEET_ROOT.id };
    return undefined;
  };
  /** The fleet project a route's :id names, or a Response that ends the request, or undefined (not ours). */
  const project = (request: Request, id: unknown): number | Response | undefined => {
    if (request.headers.get('private-token') !== options.token) return gitlabError(401, '401 Unauthorized');
    if (outage.broken) return gitlabError(500, '500 Internal Server Error');
    const index = indexOf(Number(id));
    if (!Number.isInteger(index) || index < 0 || index >= options.size) return undefined;
    if (options.gone?.has(index) === true || index % 50 === 49) return gitlabError(404, '404 Project Not Found');
    return index;
  };
  const isOurGroup = (id: unknown): number | undefined => {
    const text = decodeURIComponent(String(id));
    const number = text === FLEET_ROOT.fullPath ? FLEET_ROOT.id : /^acme\/team-\d+$/.test(text) ? 5000 + Number(text.split('-')[1]) : Number(text);
    return groupJson(number) === undefined ? undefined : number;
  };

  const handlers: RequestHandler[] = [
    http.get(`${api}/groups/:id/projects`, ({ request, params }) => {
      const group = isOurGroup(params['id']);
      if (group === undefined) return undefined;
      if (request.headers.get('private-token') !== options.token) return gitlabError(401, '401 Unauthorized');
      if (outage.broken) return gitlabError(500, '500 Internal Server Error');
      const url = new URL(request.url);
      const query = url.searchParams;
      // Without include_subgroups GitLab lists the group's own projects only: none here.
      if (query.get('include_subgroups') !== 'true' || query.get('order_by') !== 'id' || query.get('sort') !== 'asc') return HttpResponse.json([]);
      const perPage = Math.min(Number(query.get('per_page') ?? 20), 100);
      const after = query.get('id_after') === null ? -1 : indexOf(Number(query.get('id_after')));
      const items: Record<string, unknown>[] = [];
      let index = Math.max(after + 1, 0);
      for (; index < options.size && items.length < perPage; index += 1) {
        const json = projectJson(index);
        if (group !== FLEET_ROOT.id && index % SUBGROUPS !== group - 5000) continue;
        if (query.get('archived') === 'false' && json['archived'] === true) continue;
        items.push(json);
      }
      const last = items.at(-1);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (index < options.size && last !== undefined) {
        const next = new URL(url);
        next.searchParams.set('id_after', String(last['id']));
        headers['link'] = `<${next.toString()}>; rel="next"`;
      }
      return HttpResponse.json(items, { headers });
    }),
    http.get(`${api}/groups/:id/descendant_groups`, ({ request, params }) => {
      const group = isOurGroup(params['id']);
      if (group === undefined) return undefined;
      if (request.headers.get('private-token') !== options.token) return gitlabError(401, '401 Unauthorized');
      const children = group === FLEET_ROOT.id ? Array.from({ length: SUBGROUPS }, (_, team) => groupJson(5000 + team)) : [];
      return HttpResponse.json(children);
    }),
    http.get(`${api}/groups/:id`, ({ request, params }) => {
      const group = isOurGroup(params['id']);
      if (group === undefined) return undefined;
      if (request.headers.get('private-token') !== options.token) return gitlabError(401, '401 Unauthorized');
      return HttpResponse.json(groupJson(group));
    }),
    http.get(`${api}/projects/:id/pipelines/latest`, ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      if (options.flaky?.has(index) === true && firstAttempt(`latest ${index}`)) return gitlabError(502, '502 Bad Gateway');
      if (index % 13 === 7) return gitlabError(404, '404 Not found');
      return HttpResponse.json({ id: 1_000_000 + index, sha: shaOf(index), ref: 'main', status: index % 9 === 4 ? 'failed' : 'success' });
    }),
    http.get(`${api}/projects/:id/pipelines/:pipelineId`, ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      const canary = canaries.get(Number(params['pipelineId']));
      if (canary === undefined) return gitlabError(404, '404 Not found');
      return HttpResponse.json({ id: Number(params['pipelineId']), sha: shaOf(index), status: options.failingCanaries?.has(index) === true ? 'failed' : 'success' });
    }),
    http.post(`${api}/projects/:id/pipeline`, ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      const id = 2_000_000 + index;
      canaries.set(id, { index });
      writes.push(`POST pipeline ${index}`);
      return HttpResponse.json({ id, sha: shaOf(index), ref: 'main', status: 'created' }, { status: 201 });
    }),
    http.get(`${api}/projects/:id/repository/commits/:sha/statuses`, ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      const name = new URL(request.url).searchParams.get('name');
      const state = canaryOrGenerated(index);
      const statuses = state === undefined ? [] : [{ id: 7_000_000 + index, name: 'policy-sidecar/verified', status: state }];
      return HttpResponse.json(statuses.filter((status) => name === null || status.name === name));
    }),
    http.get(`${api}/projects/:id/variables`, async ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      if (options.stalled?.has(index) === true && firstAttempt(`variables ${index}`)) return new Promise<Response>(() => {});
      if (options.heldUntilFrameworksFail?.indexes.has(index) === true) await frameworksFailed;
      if (options.rateLimited?.has(index) === true && firstAttempt(`rate ${index}`)) {
        return HttpResponse.json({ message: 'Retry later' }, { status: 429, headers: { 'retry-after': '1', 'ratelimit-remaining': '0' } });
      }
      audits.set(index, (audits.get(index) ?? 0) + 1);
      if ([...audits.keys()].length >= outage.after) outage.broken = true;
      if (!maintainer(index)) return gitlabError(403, '403 Forbidden');
      const key = index % 7 === 3 ? 'CI_COMMIT_BRANCH' : index % 7 === 4 ? 'POLICY_SIDECAR_POLICY_PROJECTS' : 'DEPLOY_TOKEN';
      return HttpResponse.json([{ key, variable_type: 'env_var', protected: false, masked: true }]);
    }),
    // GraphQL (docs "api/graphql/reference", Project.complianceFrameworks): a query whose every
    // variable is a fleet project's full path, each aliased `pN: project(fullPath: $pN) {
    // complianceFrameworks { nodes { id } } }`. Any other query falls through to the instance
    // behind (the policy project's reads); the body is read from a clone so it still can.
    http.post(`${options.baseUrl}/api/graphql`, async ({ request }) => {
      const body = (await request.clone().json()) as { query?: string; variables?: Record<string, string> };
      const variables = Object.entries(body.variables ?? {});
      const indexes = variables.map(([, path]) => /^acme\/team-\d+\/app-(\d+)$/.exec(path)?.[1]);
      if (variables.length === 0 || indexes.some((index) => index === undefined)) return undefined;
      if (request.headers.get('private-token') !== options.token) return gitlabError(401, '401 Unauthorized');
      if (outage.broken) return gitlabError(500, '500 Internal Server Error');
      if (indexes.some((index) => options.graphqlForbidden?.has(Number(index)) === true)) return gitlabError(403, '403 Forbidden');
      if (indexes.some((index) => options.graphqlBroken?.has(Number(index)) === true)) {
        brokenAnswers += 1;
        const held = options.heldUntilFrameworksFail;
        if (held !== undefined && brokenAnswers >= held.failures) setTimeout(releaseHeld, held.settleMs);
        return gitlabError(500, '500 Internal Server Error');
      }
      const data: Record<string, unknown> = {};
      for (const [[name], text] of variables.map((entry, at) => [entry, indexes[at]] as const)) {
        if (!(body.query ?? '').includes(`${name}: project(fullPath: $${name}) { complianceFrameworks { nodes { id } } }`)) {
          return HttpResponse.json({ errors: [{ message: `unexpected query for $${name}` }] });
        }
        const index = Number(text);
        const visible = index < options.size && options.hiddenFromGraphql?.has(index) !== true;
        data[name] = visible ? { complianceFrameworks: { nodes: fleetFrameworksOf(index).map((id) => ({ id: `gid://gitlab/ComplianceManagement::Framework/${id}` })) } } : null;
      }
      // Paths are variables: a path spliced into the query text is refused, as an injection risk.
      if (variables.some(([, path]) => (body.query ?? '').includes(path))) return HttpResponse.json({ errors: [{ message: 'a project path inside the query text' }] });
      frameworkQueries.push(variables.map(([, path]) => path));
      return HttpResponse.json({ data });
    }),
    http.get(`${api}/projects/:id`, ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      return HttpResponse.json(projectJson(index));
    }),
    http.put(`${api}/projects/:id`, async ({ request, params }) => {
      const index = project(request, params['id']);
      if (typeof index !== 'number') return index;
      if (index % 19 === 18) return gitlabError(403, '403 Forbidden');
      const body = (await request.json()) as { ci_config_path?: string };
      const value = body.ci_config_path ?? '';
      settings.set(index, value === '' ? null : value);
      writes.push(`PUT ${index} ${value}`);
      if (writes.filter((write) => write.startsWith('PUT')).length >= outage.afterWrites) outage.broken = true;
      return HttpResponse.json(projectJson(index));
    }),
  ];

  function canaryOrGenerated(index: number): string | undefined {
    if ([...canaries.values()].some((canary) => canary.index === index)) return 'success';
    return index % 8 === 6 ? undefined : index % 4 === 1 ? 'failed' : 'success';
  }

  return {
    handlers,
    breakAfter(projects) {
      outage.after = projects;
    },
    breakAfterWrites(count) {
      outage.afterWrites = count;
    },
    heal() {
      outage.after = Number.POSITIVE_INFINITY;
      outage.afterWrites = Number.POSITIVE_INFINITY;
      outage.broken = false;
    },
    configPathOf,
    audits,
    writes,
    frameworkQueries,
  };
}
