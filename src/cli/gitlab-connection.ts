/**
 * The GitLab connection every API-mode command builds the same way: the server from
 * `--gitlab-url` (or, outside --job, CI_SERVER_URL), the token from the settings environment, one
 * dispatcher (proxy, CA, timeouts) and the client's retry policy from `--http-timeout`/`--http-retries`.
 */
import type { Dispatcher } from 'undici';
import { UsageError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import { createDispatcher } from '../http/dispatcher.js';
import type { RetrySettings } from '../http/retry-policy.js';
import type { CliIo } from './io.js';
import { credentialFrom, nonEmpty, requireOption, wholeNumber } from './option-values.js';

export interface ConnectionOptions {
  readonly gitlabUrl?: string | undefined;
  readonly httpTimeout?: string | undefined;
  readonly httpRetries?: string | undefined;
  readonly job?: boolean;
}

export interface GitlabConnection {
  readonly serverUrl: string;
  /** `${serverUrl}/api/v4`. */
  readonly apiUrl: string;
  readonly client: HttpClient;
  readonly dispatcher: Dispatcher;
  readonly retries: RetrySettings;
}

export function connectToGitlab(options: ConnectionOptions, env: CliIo['env'], dispatcher?: Dispatcher): GitlabConnection {
  // With --job the settings environment holds no CI_SERVER_URL (job-run.ts): a variable must not
  // send the token elsewhere, so the URL is a flag (the component input gitlab_url).
  const serverUrl = nonEmpty(options.gitlabUrl ?? (options.job === true ? undefined : env['CI_SERVER_URL']));
  if (serverUrl === undefined) {
    if (options.job === true) {
      throw new UsageError('no-gitlab', '--job needs --gitlab-url: the GitLab URL is a setting, never taken from CI_SERVER_URL in a job', {
        hint: 'Set the component input gitlab_url (docs/templates.md), or pass --gitlab-url URL.',
      });
    }
    throw new UsageError('no-gitlab', 'not in a GitLab CI job: CI_SERVER_URL is not set', {
      hint: 'Run inside GitLab CI, pass --gitlab-url URL, or work offline with --workspace DIR.',
    });
  }
  const timeoutMs = 1000 * (wholeNumber(options.httpTimeout, 'http-timeout', 1) ?? 30);
  const shared = dispatcher ?? createDispatcher(env, { connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs });
  const apiUrl = `${serverUrl.replace(/\/+$/, '')}/api/v4`;
  // Reads wait up to a minute when GitLab asks (its application rate limits reset per minute).
  const retries = { max: wholeNumber(options.httpRetries, 'http-retries', 0) ?? 4, baseDelayMs: 250, maxDelayMs: 10_000, maxReadWaitMs: 60_000 };
  // At most 8 requests in flight, so a wide fan-out does not trip GitLab's limits itself.
  const client = createHttpClient({ baseUrl: apiUrl, credential: credentialFrom(env), dispatcher: shared, retries, maxConcurrency: 8 });
  return { serverUrl, apiUrl, client, dispatcher: shared, retries };
}

/** `--project`, else the job's own project (CI_PROJECT_PATH). */
export function projectOf(option: string | undefined, env: CliIo['env'], command: string): string {
  return requireOption(option ?? nonEmpty(env['CI_PROJECT_PATH']), 'project', command);
}

/** `--policy-project` flags, else POLICY_SIDECAR_POLICY_PROJECTS (comma-separated; never set with --job), else `linked()`. */
export async function policyProjectsOf(flags: readonly string[], env: CliIo['env'], linked: () => Promise<string[]>): Promise<readonly string[]> {
  if (flags.length > 0) return flags;
  const configured = nonEmpty(env['POLICY_SIDECAR_POLICY_PROJECTS']);
  if (configured !== undefined) return configured.split(',').map((path) => path.trim()).filter((path) => path !== '');
  return linked();
}
