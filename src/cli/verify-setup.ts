/**
 * What `verify` and `serve` share to verify pipelines: the settings from flags and environment,
 * and the ports (reader, recomputation) over the GitLab API or a folder of recorded answers.
 * The verifier uses its own token (POLICY_SIDECAR_TOKEN), never a job token: it must read what
 * the project cannot change.
 */
import type { Dispatcher } from 'undici';
import { UsageError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import { createDispatcher } from '../http/dispatcher.js';
import { createGitlabSource, type GitlabSource } from '../sources/gitlab/gitlab-source.js';
import { createVerifyApi } from '../sources/gitlab/verify-api.js';
import { createRecordedApi } from '../sources/workspace/recorded-api.js';
import { memoiseProjects } from '../verify/project-memo.js';
import { DEFAULT_VERIFY_SETTINGS, type VerifySettings } from '../verify/settings.js';
import type { VerificationPorts } from '../verify/verify-and-publish.js';
import type { CliIo } from './io.js';
import { nonEmpty, wholeNumber } from './option-values.js';
import { recomputeComposition, type RecomputeOrigin, type RecomputeSettings } from './verify-recompute.js';

export interface VerifyFlags {
  readonly centralConfig?: string | undefined;
  readonly configPath?: string | undefined;
  readonly policyProject: readonly string[];
  readonly templates?: string | undefined;
  readonly allowRemoteHost: readonly string[];
  readonly gitlabUrl?: string | undefined;
  readonly httpTimeout?: string | undefined;
  readonly httpRetries?: string | undefined;
}

export const CENTRAL_CONFIG_VARIABLE = 'POLICY_SIDECAR_CENTRAL_CONFIG';

export function verifySettingsFrom(flags: VerifyFlags, env: CliIo['env']): VerifySettings {
  const central = nonEmpty(flags.centralConfig ?? env[CENTRAL_CONFIG_VARIABLE]);
  if (central === undefined) {
    throw new UsageError('no-central-config', `--central-config is required (or ${CENTRAL_CONFIG_VARIABLE})`, {
      hint: "Name the central CI configuration file as the project setting spells it, e.g. --central-config pipeline.yml@platform/ci (docs/verify.md).",
    });
  }
  return { ...DEFAULT_VERIFY_SETTINGS, centralConfigPath: central };
}

export function recomputeSettingsFrom(flags: VerifyFlags, env: CliIo['env']): RecomputeSettings {
  const configured = nonEmpty(env['POLICY_SIDECAR_POLICY_PROJECTS']);
  const policyProjects = flags.policyProject.length > 0 ? flags.policyProject : (configured?.split(',').map((path) => path.trim()).filter((path) => path !== '') ?? []);
  return { configPath: flags.configPath ?? '.gitlab-ci.yml', policyProjects, templates: flags.templates, allowRemoteHosts: flags.allowRemoteHost };
}

export interface VerifierConnection {
  readonly client: HttpClient;
  readonly serverUrl: string;
  readonly dispatcher: Dispatcher;
  readonly ownsDispatcher: boolean;
}

/** The verifier's own GitLab connection: POLICY_SIDECAR_TOKEN only. */
export function connectVerifier(flags: VerifyFlags, env: CliIo['env'], dispatcher?: Dispatcher): VerifierConnection {
  const serverUrl = nonEmpty(flags.gitlabUrl ?? env['CI_SERVER_URL']);
  if (serverUrl === undefined) throw new UsageError('no-gitlab', 'CI_SERVER_URL is not set', { hint: 'Pass --gitlab-url URL or set CI_SERVER_URL; offline: --workspace DIR --records DIR.' });
  const token = nonEmpty(env['POLICY_SIDECAR_TOKEN']);
  if (token === undefined) {
    throw new UsageError('no-token', 'POLICY_SIDECAR_TOKEN is not set', {
      hint: "Set it to the verifier's own token (scope api, Developer on the projects; read_api and Reporter without --publish). A job token cannot verify its own pipeline.",
    });
  }
  const timeoutMs = 1000 * (wholeNumber(flags.httpTimeout, 'http-timeout', 1) ?? 30);
  const shared = dispatcher ?? createDispatcher(env, { connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs });
  const client = createHttpClient({
    baseUrl: `${serverUrl.replace(/\/+$/, '')}/api/v4`,
    credential: { header: 'PRIVATE-TOKEN', value: token },
    dispatcher: shared,
    retries: { max: wholeNumber(flags.httpRetries, 'http-retries', 0) ?? 4, baseDelayMs: 250, maxDelayMs: 10_000 },
  });
  return { client, serverUrl, dispatcher: shared, ownsDispatcher: dispatcher === undefined };
}

export interface SourceSharing {
  /** How long one GitLab source (and what it memoised: project metadata, policy files) and the verifier's project records serve verifications. 0: one per verification. */
  readonly reuseMs: number;
  readonly now: () => number;
}

/**
 * `sharing`: `serve` verifies bursts of pipelines of the same projects and policies; one source
 * for a short while reads their metadata and policy files once (bench/verify-throughput.ts). A
 * policy changed within that window is seen when it ends: a pipeline composed with it meanwhile
 * fails `policy-versions` (closed), and is verified again on its next webhook.
 */
export function apiPorts(
  connection: VerifierConnection,
  settings: VerifySettings,
  recompute: RecomputeSettings,
  io: CliIo,
  cacheDir: string | undefined,
  sharing: SourceSharing = { reuseMs: 0, now: Date.now },
): VerificationPorts & { readonly api: ReturnType<typeof createVerifyApi> } {
  const api = createVerifyApi(connection.client);
  let shared: { readonly source: GitlabSource; readonly until: number } | undefined;
  const source = (): GitlabSource => {
    if (shared === undefined || sharing.now() >= shared.until) shared = { source: createGitlabSource({ client: connection.client, cacheDir }), until: sharing.now() + sharing.reuseMs };
    return shared.source;
  };
  const origin: RecomputeOrigin = { kind: 'gitlab', source, serverHost: new URL(connection.serverUrl).host };
  const reader = sharing.reuseMs > 0 ? memoiseProjects(api, sharing.reuseMs, sharing.now) : api;
  return { api, reader, settings, recompute: (records) => recomputeComposition(records, recompute, origin, io) };
}

export function recordedPorts(workspace: string, records: string, settings: VerifySettings, recompute: RecomputeSettings, io: CliIo): VerificationPorts {
  const reader = createVerifyApi(createRecordedApi(records));
  const origin: RecomputeOrigin = { kind: 'workspace', workspace };
  return { reader, settings, recompute: (gathered) => recomputeComposition(gathered, recompute, origin, io) };
}
