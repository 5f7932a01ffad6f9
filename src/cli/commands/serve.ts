/**
 * `serve`: the external status check service (SPEC §4, docs/status-checks.md). Binds flags and
 * environment, starts the HTTP server and the evaluator, and runs until SIGTERM or SIGINT; then
 * stops accepting, lets in-flight requests finish and exits 0.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { UsageError } from '../../errors.js';
import { createStatusCheckEvaluator, DEFAULT_POLL_SETTINGS, type EvaluationEvent, type PollSettings } from '../../gating/status-checks/evaluations.js';
import { DEFAULT_GATHER_SETTINGS } from '../../gating/status-checks/gather-facts.js';
import { createHttpClient } from '../../http/client.js';
import { createDispatcher } from '../../http/dispatcher.js';
import { startStatusCheckServer } from '../../http/server.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { secretValues } from '../../log/secret-variables.js';
import { createStatusCheckApi } from '../../sources/gitlab/status-check-api.js';
import { createVerdictLedger } from '../../verify/verdict-ledger.js';
import { createWebhookVerifier, type VerificationEvent, type WebhookVerifier } from '../../verify/webhook-verifications.js';
import { apiPorts, recomputeSettingsFrom, verifySettingsFrom } from '../verify-setup.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { nonEmpty, wholeNumber } from '../option-values.js';
import { openStoreAt, storeLocationForServe } from '../store-location.js';
import { registerStoreRoutes, STORE_API_TOKEN_VARIABLE } from '../../http/store-routes.js';

export const SECRET_VARIABLE = 'POLICY_SIDECAR_STATUS_CHECK_SECRET';
/** GitLab webhooks' secret token (docs/verify.md); set: `POST /webhook` verifies pipelines. */
export const WEBHOOK_SECRET_VARIABLE = 'POLICY_SIDECAR_WEBHOOK_SECRET';

/** What the process provides; tests pass their own (msw's dispatcher, short polls, a stop promise). */
export interface ServeControl {
  /** Resolves with the reason to stop, e.g. `SIGTERM`. */
  readonly stopped: Promise<string>;
  readonly onListening?: (url: string) => void;
  readonly dispatcher?: Dispatcher;
  readonly poll?: PollSettings;
  /** Tests: the webhook verifier, to wait until it is idle. */
  readonly onWebhookVerifier?: (verifier: WebhookVerifier) => void;
}

export async function runServe(options: CommandOptions<'serve'>, io: CliIo, control: ServeControl = { stopped: processSignal() }): Promise<number> {
  const env = io.env;
  const secret = nonEmpty(env[SECRET_VARIABLE]);
  const webhookSecret = nonEmpty(env[WEBHOOK_SECRET_VARIABLE]);
  if (secret === undefined && webhookSecret === undefined) {
    throw new UsageError('no-status-check-secret', `${SECRET_VARIABLE} is not set: refusing to accept unsigned status-check requests`, {
      hint: "Set it to the external status check's shared secret (docs/status-checks.md).",
    });
  }
  const serverUrl = nonEmpty(options.gitlabUrl ?? env['CI_SERVER_URL']);
  if (serverUrl === undefined) throw new UsageError('no-gitlab', 'CI_SERVER_URL is not set', { hint: 'Pass --gitlab-url URL or set CI_SERVER_URL.' });
  const token = nonEmpty(env['POLICY_SIDECAR_TOKEN']);
  if (token === undefined) {
    // CI_JOB_TOKEN exists only inside a job and cannot answer status checks.
    throw new UsageError('no-token', 'POLICY_SIDECAR_TOKEN is not set', {
      hint: 'Set it to a token (scope api) of a user with at least the Developer role on the projects whose checks this service answers.',
    });
  }
  const port = wholeNumber(options.port, 'port', 0, 65535) ?? 8080;
  const timeoutMs = 1000 * (wholeNumber(options.httpTimeout, 'http-timeout', 1) ?? 30);
  const retries = wholeNumber(options.httpRetries, 'http-retries', 0) ?? 4;
  const waitMinutes = wholeNumber(options.waitTimeout, 'wait-timeout', 1);
  const configured = options.requiredJob.length > 0 ? options.requiredJob : (nonEmpty(env['POLICY_SIDECAR_REQUIRED_JOBS'])?.split(',') ?? []);
  const requiredJobs = configured.map((name) => name.trim()).filter((name) => name !== '');

  // A service's log goes to a collector: JSON unless a person watches a terminal.
  const logger = createLogger({ level: options.logLevel ?? 'info', json: io.stderr.isTTY !== true, target: io.stderr, secrets: [...secretValues(env), ...[secret, webhookSecret].filter((value) => value !== undefined)] });
  // Settings are checked before anything listens: a missing --central-config is a usage error.
  const verifySettings = webhookSecret === undefined ? undefined : verifySettingsFrom(options, env);
  const dispatcher = control.dispatcher ?? createDispatcher(env, { connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs });
  const client = createHttpClient({
    baseUrl: `${serverUrl.replace(/\/+$/, '')}/api/v4`,
    credential: { header: 'PRIVATE-TOKEN', value: token },
    dispatcher,
    retries: { max: retries, baseDelayMs: 250, maxDelayMs: 10_000 },
    onRequest: (event) => logger.debug(event, 'gitlab request'),
  });
  const gitlab = createStatusCheckApi(client);
  const poll = control.poll ?? (waitMinutes === undefined ? DEFAULT_POLL_SETTINGS : { ...DEFAULT_POLL_SETTINGS, deadlineMs: waitMinutes * 60_000 });
  const evaluator = createStatusCheckEvaluator({
    gitlab,
    settings: { ...DEFAULT_GATHER_SETTINGS, requiredJobs },
    poll,
    postPending: true,
    maxEvaluations: 1000,
    now: Date.now,
    sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
    onEvent: (event) => logEvaluation(logger, event),
  });
  const storeLocation = storeLocationForServe(options, io);
  const storeToken = nonEmpty(env[STORE_API_TOKEN_VARIABLE]);
  if (storeLocation !== undefined && storeToken === undefined) {
    throw new UsageError('no-store-api-token', `${STORE_API_TOKEN_VARIABLE} is not set: refusing to serve the policy store without a token`, {
      hint: 'Set it to the bearer token readers of /store/... must send (docs/store.md).',
    });
  }
  const store = storeLocation === undefined ? undefined : await openStoreAt(storeLocation);
  let webhooks: { secret: string; verifier: WebhookVerifier } | undefined;
  if (webhookSecret !== undefined && verifySettings !== undefined) {
    const connection = { client, serverUrl, dispatcher, ownsDispatcher: false };
    // One GitLab source serves 30 s of verifications: a burst of webhooks reads metadata and policy files once.
    const ports = apiPorts(connection, verifySettings, recomputeSettingsFrom(options, env), io, nonEmpty(env['POLICY_SIDECAR_CACHE_DIR']), { reuseMs: 30_000, now: Date.now });
    const verifier = createWebhookVerifier({
      ports,
      publisher: ports.api,
      ledger: createVerdictLedger(),
      // With a store, each verdict lands on the pipeline record compose wrote (docs/store.md).
      recorder:
        store === undefined
          ? undefined
          : {
              record: async (verdict, verifiedAt) => {
                if (verdict.pipeline === null) return;
                await store.recordVerdict({ projectPath: verdict.project, pipelineId: verdict.pipeline, verdict: verdict.state, detail: { verifiedAt, summary: verdict.summary, checks: verdict.checks } });
              },
            },
      maxCommits: 1000,
      now: () => new Date(),
      onEvent: (event) => logVerification(logger, event),
    });
    webhooks = { secret: webhookSecret, verifier };
    control.onWebhookVerifier?.(verifier);
  }
  const server = await startStatusCheckServer({
    secret,
    evaluator,
    pingGitlab: () => gitlab.ping(),
    logger,
    host: options.host ?? '0.0.0.0',
    port,
    ...(webhooks === undefined ? {} : { webhooks }),
    extraRoutes: store === undefined ? undefined : (app) => registerStoreRoutes(app, store, storeToken as string),
  });
  logger.info({ url: server.url, gitlab: new URL(serverUrl).origin, statusChecks: secret !== undefined, webhooks: webhooks !== undefined, store: store !== undefined, requiredJobs: requiredJobs.length > 0 ? requiredJobs : 'from policy-report.json' }, 'serving status checks');
  control.onListening?.(server.url);
  const reason = await control.stopped;
  logger.info({ reason }, 'shutting down: finishing in-flight requests');
  await server.close();
  await webhooks?.verifier.idle();
  await store?.close();
  if (control.dispatcher === undefined) await dispatcher.close();
  logger.info('stopped');
  return EXIT.ok;
}

function logEvaluation(logger: Logger, event: EvaluationEvent): void {
  switch (event.kind) {
    case 'answered': {
      const { status, reason, detail, jobs } = event.verdict;
      const fields = { key: event.key, status, reason, detail, jobs, outcome: event.outcome };
      if (event.outcome === 'accepted') logger.info(fields, 'status check answered');
      else if (event.outcome === 'stale') logger.info(fields, 'status check answer dropped: the merge request has a newer head commit (409)');
      else logger.warn(fields, 'GitLab rejected the status check answer (400)');
      return;
    }
    case 'waiting':
      logger.info({ key: event.key, reason: event.verdict.reason, detail: event.verdict.detail, nextReadMs: event.nextReadMs }, 'status check pending');
      return;
    case 'dropped':
      logger.info({ key: event.key, why: event.why }, 'status check evaluation dropped');
      return;
    case 'error': {
      const error = event.error;
      const fields = { key: event.key, code: typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined, message: error instanceof Error ? error.message : String(error) };
      if (event.willRetry) logger.warn(fields, 'GitLab request failed; reading again later');
      else logger.error(fields, 'status check evaluation failed');
      return;
    }
  }
}

function logVerification(logger: Logger, event: VerificationEvent): void {
  if (event.kind === 'error') {
    const error = event.error;
    logger.error({ key: event.key, code: typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined, message: error instanceof Error ? error.message : String(error) }, 'verification failed');
    return;
  }
  const { state, pipeline, summary } = event.verdict;
  const fields = { key: event.key, pipeline, state, summary };
  if (event.kind === 'skipped') logger.info({ ...fields, why: event.why }, 'verdict not published again');
  else logger.info({ ...fields, status: event.outcome.status, notes: event.outcome.notes, statusChecks: event.outcome.statusChecks }, 'verdict published');
}

function processSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

