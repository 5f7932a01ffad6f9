/**
 * msw handlers that answer a pipeline's recorded GitLab answers (test/verify/recorded-pipelines.ts)
 * for project 101 (acme/web), beside the workspace stand-in, and record what the verifier writes:
 * commit statuses, merge request notes, status check answers.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';

export interface VerifierWrites {
  readonly statuses: Record<string, unknown>[];
  readonly notes: { readonly method: string; readonly body: string }[];
  /** The verifier's GraphQL reads, by operation name and variables (`VerifyNewestPipeline c0ffee00…`), when given. */
  readonly graphqlReads?: string[];
}

export interface RecordedAnswerOptions {
  readonly projectId: number;
  readonly projectPath: string;
  /** Pipeline nodes GraphQL lists for a commit (`Project.pipelines(sha:)`), newest first. */
  readonly pipelinesForSha?: Readonly<Record<string, readonly unknown[]>>;
  /** Open merge requests of a commit (GET .../repository/commits/:sha/merge_requests). */
  readonly mergeRequestsForSha?: Readonly<Record<string, readonly unknown[]>>;
  readonly latencyMs?: number;
}

export function recordedAnswerHandlers(apiUrl: string, answers: Readonly<Record<string, unknown>>, options: RecordedAnswerOptions, writes: VerifierWrites): RequestHandler[] {
  const ours = (id: string | readonly string[] | undefined): boolean => id === String(options.projectId) || id === encodeURIComponent(options.projectPath) || id === options.projectPath;
  const notes: { id: number; body: string; system: boolean }[] = [];
  return [
    // The verifier's pipeline reads (verify-pipeline-query.ts); other GraphQL queries go on to the stand-in's handler.
    http.post(`${apiUrl.replace(/\/v4$/, '')}/graphql`, async ({ request }) => {
      const body = (await request.clone().json()) as { query?: string; variables?: Record<string, string> };
      const operation = /^query (Verify\w+)/.exec(body.query ?? '')?.[1];
      if (operation === undefined) return undefined;
      const variables = body.variables ?? {};
      writes.graphqlReads?.push([operation, variables['id'] ?? variables['sha'], variables['after']].filter((part) => part !== undefined).join(' '));
      // GraphQL answers null for a project it does not show (another path).
      if (variables['fullPath'] !== options.projectPath) return HttpResponse.json({ data: { project: null } });
      if (operation === 'VerifyNewestPipeline') {
        const nodes = (options.pipelinesForSha?.[variables['sha'] ?? ''] ?? []).slice(0, 1);
        return HttpResponse.json({ data: { project: { pipelines: { nodes } } } });
      }
      const pipeline = /\/(\d+)$/.exec(variables['id'] ?? '')?.[1] ?? '';
      const key = variables['after'] === undefined ? `graphql/pipeline-${pipeline}.json` : `graphql/pipeline-${pipeline}-jobs-${variables['after'].replace(/[^A-Za-z0-9=_-]/g, '_')}.json`;
      return HttpResponse.json((key in answers ? answers[key] : { data: { project: { pipeline: null } } }) as Record<string, unknown>);
    }),
    // The project with the namespace the compose source reads too (GET /projects/:id is shared).
    http.get(`${apiUrl}/projects/:id`, ({ params }) => (ours(params['id']) ? HttpResponse.json({ ...(answers['project.json'] as Record<string, unknown>), namespace: { id: 10, kind: 'group', full_path: options.projectPath.split('/')[0] } }) : undefined)),
    http.get(`${apiUrl}/projects/:id/repository/commits/:sha/merge_requests`, ({ params }) => (ours(params['id']) ? HttpResponse.json(options.mergeRequestsForSha?.[String(params['sha'])] ?? []) : undefined)),
    http.post(`${apiUrl}/projects/:id/statuses/:sha`, async ({ params, request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      const last = writes.statuses.filter((status) => status['sha'] === params['sha'] && status['name'] === body['name']).at(-1);
      // GitLab refuses to post the state a status already has (spec/requests/api/commit_statuses_spec.rb).
      if (last !== undefined && last['state'] === body['state']) return HttpResponse.json({ message: 'Cannot transition status via :enqueue from :pending' }, { status: 400 });
      writes.statuses.push({ ...body, sha: params['sha'] });
      return HttpResponse.json({ id: writes.statuses.length, ...body }, { status: 201 });
    }),
    http.get(`${apiUrl}/projects/:id/merge_requests/:iid/notes`, () => HttpResponse.json(notes)),
    http.post(`${apiUrl}/projects/:id/merge_requests/:iid/notes`, async ({ request }) => {
      const { body } = (await request.json()) as { body: string };
      notes.push({ id: notes.length + 1, body, system: false });
      writes.notes.push({ method: 'POST', body });
      return HttpResponse.json({ id: notes.length, body }, { status: 201 });
    }),
    http.put(`${apiUrl}/projects/:id/merge_requests/:iid/notes/:noteId`, async ({ params, request }) => {
      const { body } = (await request.json()) as { body: string };
      const note = notes.find((candidate) => candidate.id === Number(params['noteId']));
      if (note !== undefined) note.body = body;
      writes.notes.push({ method: 'PUT', body });
      return HttpResponse.json({ id: Number(params['noteId']), body });
    }),
    // Free tier: no external status checks.
    http.get(`${apiUrl}/projects/:id/merge_requests/:iid/status_checks`, () => HttpResponse.json({ message: '404 Not Found' }, { status: 404 })),
    http.get(`${apiUrl}/projects/:id/*`, async ({ params }) => {
      if (!ours(params['id'])) return undefined;
      const rest = String((params as Record<string, unknown>)['0'] ?? '');
      const key = rest.endsWith('.json') ? rest : `${rest}.json`;
      if (!(key in answers)) return undefined;
      if (options.latencyMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      return HttpResponse.json(answers[key] as Record<string, unknown>); // recorded JSON
    }),
  ];
}
