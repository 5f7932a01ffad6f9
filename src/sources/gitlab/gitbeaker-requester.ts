/**
 * gitbeaker is our GitLab client (STYLE §1), but its own requester is not trusted: a 300 s
 * timeout, 10 retries that ignore Retry-After, its own fetch and rate limiters (STYLE §4). This
 * requester keeps gitbeaker's resources, endpoint encoding and Link pagination, and sends every
 * request through our transport (memo, ETag cache) and HttpClient (dispatcher, retries, rate
 * limits, redaction). The credential lives in the HttpClient, so gitbeaker is built without one.
 */
import type { Gitlab } from '@gitbeaker/rest';
import type { RequestOptions, ResponseBodyTypes } from '@gitbeaker/requester-utils';
import { SourceError } from '../../errors.js';
import type { GitlabTransport } from './gitlab-transport.js';

/** gitbeaker builds URLs under this host; the requester keeps only the path below /api/v4/. */
const GITBEAKER_HOST = 'http://gitlab.invalid';
const API_ROOT = `${GITBEAKER_HOST}/api/v4/`;

export type GitbeakerApi = InstanceType<typeof Gitlab<false>>;

/**
 * Loaded on first use: importing gitbeaker takes ~50 ms, which a workspace run never needs.
 * `rateLimits: {}` because its default limiters cost ~55 ms to build and the limits are ours.
 */
export async function loadGitbeakerApi(transport: GitlabTransport): Promise<GitbeakerApi> {
  const [{ Gitlab: GitlabClient }, { createRequesterFn }] = await Promise.all([import('@gitbeaker/rest'), import('@gitbeaker/requester-utils')]);
  const requesterFn = createRequesterFn(
    (_resource, options) => Promise.resolve(options),
    async (endpoint, options) => {
      const { method, prefixUrl, searchParams } = (options ?? {}) as RequestOptions; // what createRequesterFn passes (its OptionsHandlerFn output)
      if (method !== undefined && method !== 'GET') {
        // Reads only: the few writes of sources/gitlab go through the HttpClient directly.
        throw new SourceError('gitlab-unsupported', `gitbeaker requested ${method} ${endpoint}; only reads go through it`);
      }
      const path = `${(prefixUrl ?? API_ROOT).slice(API_ROOT.length).replace(/^\/+|\/+$/g, '')}/${endpoint}`.replace(/^\/+/, '');
      const response = await transport.get(path, Object.fromEntries(new URLSearchParams(searchParams ?? '')));
      return { status: response.status, headers: { ...response.headers }, body: decodeBody(response.headers, response.text) };
    },
  );
  // queryTimeout null: no AbortSignal of gitbeaker's; the dispatcher's timeouts apply.
  return new GitlabClient({ host: GITBEAKER_HOST, requesterFn, queryTimeout: null, rateLimits: {} });
}

/** JSON when GitLab says so (checked later by a shape), text otherwise (raw files). */
function decodeBody(headers: Readonly<Record<string, string>>, text: string): ResponseBodyTypes {
  if (!(headers['content-type'] ?? '').startsWith('application/json')) return text;
  try {
    // gitbeaker's body type is only a claim: every caller takes the result as unknown and checks its shape.
    return JSON.parse(text) as ResponseBodyTypes;
  } catch (error) {
    throw new SourceError('gitlab-response-shape', 'GitLab answered with content-type application/json and a body that is not JSON', {
      hint: 'A proxy or a maintenance page may answer instead of GitLab: check CI_SERVER_URL and HTTPS_PROXY.',
      cause: error,
    });
  }
}
