/**
 * GitLab's response conventions, for the fake instance: error bodies (`{"message":"404 Project
 * Not Found"}`, lib/api/helpers.rb `not_found!`), who is calling (PRIVATE-TOKEN, JOB-TOKEN or
 * nobody), offset pagination headers (docs "api/rest/#pagination") and ETags with 304 answers.
 */
import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import type { FakeGitlab } from './gitlab-instance.js';

export type Caller = 'user' | 'job' | 'anonymous';

/** `{"message": "<status> <text>"}`, GitLab's error body. */
export function gitlabError(status: number, message: string): Response {
  return HttpResponse.json({ message: message.startsWith(String(status)) ? message : `${status} ${message}` }, { status });
}

/**
 * Who the request acts as. A wrong token is a 401 on every route, public ones too; a job token
 * counts only on routes GitLab allows it (`job_token_allowed`), elsewhere the request is anonymous.
 */
export function callerOf(request: Request, fake: FakeGitlab, jobTokenAllowed: boolean): Caller | Response {
  const token = request.headers.get('private-token');
  if (token !== null) return token === fake.token ? 'user' : gitlabError(401, '401 Unauthorized');
  const jobToken = request.headers.get('job-token');
  if (jobToken === null || !jobTokenAllowed) return 'anonymous';
  return jobToken === fake.jobToken ? 'job' : gitlabError(401, '401 Unauthorized');
}

/** A 200 with an ETag, or a 304 when the client already holds that version. */
export function withEtag(request: Request, body: string | Buffer, init: { headers: Record<string, string>; weak: boolean }): Response {
  // Rack::ETag's digest (rack lib/rack/etag.rb): the first 32 hex digits of the body's SHA-256.
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 32);
  const etag = init.weak ? `W/"${digest}"` : `"${digest}"`;
  const headers = { ...init.headers, etag };
  if (request.headers.get('if-none-match') === etag) return new HttpResponse(null, { status: 304, headers: { etag } });
  return new HttpResponse(typeof body === 'string' ? body : new Uint8Array(body), { status: 200, headers });
}

/** JSON as GitLab's API sends it: Rack::ETag's weak ETag, honoured by Rack::ConditionalGet. */
export function jsonResponse(request: Request, value: unknown, headers: Record<string, string> = {}): Response {
  return withEtag(request, JSON.stringify(value), { headers: { 'content-type': 'application/json', ...headers }, weak: true });
}

/** One page of `items` (`page`, `per_page` ≤ 100) with GitLab's Link and X-* headers. */
export function paginated(request: Request, items: readonly unknown[]): Response {
  const url = new URL(request.url);
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 20) || 20, 1), 100);
  const totalPages = Math.max(Math.ceil(items.length / perPage), 1);
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
  const linkTo = (target: number): string => {
    const next = new URL(url);
    next.searchParams.set('page', String(target));
    next.searchParams.set('per_page', String(perPage));
    return next.toString();
  };
  const links = [
    ...(page > 1 ? [`<${linkTo(page - 1)}>; rel="prev"`] : []),
    ...(page < totalPages ? [`<${linkTo(page + 1)}>; rel="next"`] : []),
    `<${linkTo(1)}>; rel="first"`,
    `<${linkTo(totalPages)}>; rel="last"`,
  ];
  return jsonResponse(request, items.slice((page - 1) * perPage, page * perPage), {
    link: links.join(', '),
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
  });
}
