/** The GitLab source as the CLI builds it, but on msw's wire and without real waits. */
import { createHttpClient, type Credential, type HttpClient } from '../../src/http/client.js';
import type { CiTemplatesLocation } from '../../src/sources/gitlab/ci-templates.js';
import { createGitlabSource, type GitlabSource } from '../../src/sources/gitlab/gitlab-source.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import type { GitlabServer } from '../http/gitlab-server.js';

export const API_URL = 'http://gitlab.test/api/v4';

export interface TestSourceOptions {
  /** undefined sends no token; the default is the fake instance's valid token. */
  readonly credential?: Credential | undefined;
  readonly cacheDir?: string;
  /** Records the waits the client asked for instead of waiting. */
  readonly sleeps?: number[];
  readonly ciTemplates?: CiTemplatesLocation;
}

export function testClient(gitlab: GitlabServer, options: TestSourceOptions = {}): HttpClient {
  const credential = 'credential' in options ? options.credential : { header: 'PRIVATE-TOKEN' as const, value: DEFAULT_TOKEN };
  return createHttpClient({
    baseUrl: API_URL,
    credential,
    dispatcher: gitlab.dispatcher,
    random: () => 0,
    sleep: (ms) => {
      options.sleeps?.push(ms);
      return Promise.resolve();
    },
  });
}

export function testGitlabSource(gitlab: GitlabServer, options: TestSourceOptions = {}): GitlabSource {
  return createGitlabSource({ client: testClient(gitlab, options), cacheDir: options.cacheDir, ciTemplates: options.ciTemplates });
}

/** The path and query of each request, in order: what a test compares. */
export function requestedPaths(gitlab: GitlabServer): string[] {
  return gitlab.requests.map((request) => {
    const url = new URL(request.url);
    return `${request.method} ${url.pathname.replace(/^\/api\/v4/, '')}${url.search}`;
  });
}


/** The SourceError a promise rejects with (shared with the HttpClient's tests). */
export { failure } from '../http-client/test-client.js';
