/**
 * The status-check endpoint (SPEC §4, gitlab-approvals-status-checks.md §4.2): fastify on pino,
 * the signature checked over the raw body before anything else happens, the evaluation started
 * in the background and the request answered at once (GitLab only records non-2xx answers as
 * errors; the verdict goes back through the response API). Also /healthz, /readyz, a body size
 * limit, request timeouts and a graceful close. Logs carry no body, header, secret or signature.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { StatusCheckEvaluator } from '../gating/status-checks/evaluations.js';
import { parseStatusCheckRequest } from '../gating/status-checks/status-check-request.js';
import type { Logger } from '../log/logger.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';
import { parseWebhook } from '../verify/webhook-events.js';
import type { WebhookVerifier } from '../verify/webhook-verifications.js';
import { verifyWebhookToken, WEBHOOK_TOKEN_HEADER } from './webhook-token.js';
import type { RouteRegistrar } from './store-routes.js';

export interface StatusCheckServerOptions {
  /** The check's shared secret (POLICY_SIDECAR_STATUS_CHECK_SECRET); undefined: no status-check endpoint (404). */
  readonly secret: string | undefined;
  readonly evaluator: StatusCheckEvaluator;
  /** Whether GitLab answers with our token; resolves or throws. Cached (see readyCacheMs). */
  readonly pingGitlab: () => Promise<void>;
  readonly logger: Logger;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Larger bodies get 413 before they are read. Default 1 MiB (GitLab caps at 25 MB; MR payloads are KBs). */
  readonly bodyLimitBytes?: number;
  /** Longest time to receive a whole request. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How long a readiness answer is reused: [success, failure]. Default [30 s, 5 s]. */
  readonly readyCacheMs?: readonly [number, number];
  readonly now?: () => number;
  /** GitLab pipeline and merge request webhooks (`POST /webhook`), verified by `verify` (docs/verify.md). */
  readonly webhooks?: { readonly secret: string; readonly verifier: WebhookVerifier };
  /** More routes on the same server (the policy store's read-only API, http/store-routes.ts). */
  readonly extraRoutes?: (app: RouteRegistrar) => void;
}

export interface StatusCheckServer {
  /** `http://host:port`. */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then ends the evaluations' waits. */
  close(): Promise<void>;
}

export async function startStatusCheckServer(options: StatusCheckServerOptions): Promise<StatusCheckServer> {
  const app = Fastify({
    loggerInstance: options.logger,
    // One line per request, written by the onResponse hook below, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionTimeout: 2 * (options.requestTimeoutMs ?? 30_000),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const ready = cachedReadiness(options.pingGitlab, options.readyCacheMs ?? [30_000, 5_000], options.now ?? Date.now, options.logger);
  let closing = false;

  // The raw bytes are what GitLab signed: nothing parses the body before the signature is checked.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // While closing, answers end their connection: a kept-alive socket would hold close() open.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  // At debug level: a request whose headers arrived (its body may still be on the way).
  app.addHook('onRequest', async (request) => {
    request.log.debug({ method: request.method, route: request.routeOptions.url ?? 'unknown' }, 'request started');
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: no query string reaches the log.
    const route = request.routeOptions.url ?? 'unknown';
    request.log.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ message: status >= 500 ? 'internal error' : error.message });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Unauthenticated, so the answer is only ready or not: why not (GitLab's address, an error
  // text) goes to the log, where the operator looks (cachedReadiness).
  app.get('/readyz', async (_request, reply) => {
    const state = closing ? { ready: false } : await ready();
    return reply.code(state.ready ? 200 : 503).send({ ready: state.ready });
  });
  const { secret } = options;
  if (secret !== undefined) app.post('/status-check', (request, reply) => receiveStatusCheck(request, reply, secret, options));
  const { webhooks } = options;
  if (webhooks !== undefined) app.post('/webhook', (request, reply) => receiveWebhook(request, reply, webhooks));
  options.extraRoutes?.(app);

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo; // listening on TCP: an AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      closing = true;
      await app.close();
      await options.evaluator.stop();
    },
  };
}

async function receiveStatusCheck(request: FastifyRequest, reply: FastifyReply, secret: string, options: StatusCheckServerOptions): Promise<FastifyReply> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const signature = request.headers[SIGNATURE_HEADER];
  if (!verifySignature(secret, body, typeof signature === 'string' ? signature : undefined)) {
    request.log.warn({ signed: signature !== undefined }, 'status-check request refused: missing or wrong X-Gitlab-Signature');
    return reply.code(401).send({ message: '401 Unauthorized' });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return reply.code(400).send({ message: 'the body is not JSON' });
  }
  const parsed = parseStatusCheckRequest(payload);
  if (!parsed.ok) return reply.code(400).send({ message: parsed.problem });
  const { request: check } = parsed;
  const subject = { project: check.projectId, mergeRequest: check.mergeRequestIid, sha: check.headSha, check: check.externalStatusCheckId };
  // Closed and merged merge requests have nothing left to gate.
  if (check.state !== 'opened') {
    request.log.info({ ...subject, state: check.state }, 'status-check request ignored');
    return reply.code(200).send({ evaluation: 'ignored', reason: `merge request is ${check.state}` });
  }
  const submission = options.evaluator.submit(check);
  if (submission.kind === 'busy') {
    request.log.warn(subject, 'status-check request refused: too many evaluations running');
    return reply.code(503).header('retry-after', '30').send({ message: 'too many evaluations running' });
  }
  request.log.info({ ...subject, evaluation: submission.kind }, 'status-check request accepted');
  return reply.code(202).send({ evaluation: submission.kind });
}

/**
 * A GitLab webhook: the secret token checked first, so an unknown or unsigned request costs no
 * GitLab call and no parsing; then the event is queued and answered at once (GitLab's webhook
 * timeout is short and it retries on errors, which the verifier absorbs).
 */
async function receiveWebhook(request: FastifyRequest, reply: FastifyReply, webhooks: NonNullable<StatusCheckServerOptions['webhooks']>): Promise<FastifyReply> {
  const token = request.headers[WEBHOOK_TOKEN_HEADER];
  if (!verifyWebhookToken(webhooks.secret, typeof token === 'string' ? token : undefined)) {
    request.log.warn({ signed: token !== undefined }, 'webhook refused: missing or wrong X-Gitlab-Token');
    return reply.code(401).send({ message: '401 Unauthorized' });
  }
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return reply.code(400).send({ message: 'the body is not JSON' });
  }
  const parsed = parseWebhook(payload);
  if (!parsed.ok) {
    // Other events (push, notes...) are answered 200 so GitLab does not disable the hook.
    if (parsed.ignored) return reply.code(200).send({ verification: 'ignored', reason: parsed.problem });
    return reply.code(400).send({ message: parsed.problem });
  }
  const submission = webhooks.verifier.submit(parsed.event);
  if (submission.kind === 'busy') return reply.code(503).header('retry-after', '30').send({ message: 'too many verifications running' });
  if (submission.kind === 'ignored') return reply.code(200).send({ verification: 'ignored', reason: submission.why });
  request.log.info({ kind: parsed.event.kind, project: parsed.event.projectId, verification: submission.kind }, 'webhook accepted');
  return reply.code(202).send({ verification: submission.kind });
}

type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** One GitLab ping at a time, its answer reused for a while; a failure is retried sooner. */
function cachedReadiness(ping: () => Promise<void>, [okMs, failMs]: readonly [number, number], now: () => number, logger: Logger): () => Promise<Readiness> {
  let cached: { readonly state: Readiness; readonly until: number } | undefined;
  let inFlight: Promise<Readiness> | undefined;
  return async () => {
    if (cached !== undefined && now() < cached.until) return cached.state;
    inFlight ??= ping()
      .then((): Readiness => ({ ready: true }))
      .catch((error: unknown): Readiness => ({ ready: false, reason: `GitLab is not reachable: ${error instanceof Error ? error.message : String(error)}` }))
      .then((state) => {
        // Once per check, not per probe: a failing check is repeated at most every failMs.
        if (!state.ready) logger.warn({ reason: state.reason }, 'not ready');
        cached = { state, until: now() + (state.ready ? okMs : failMs) };
        inFlight = undefined;
        return state;
      });
    return inFlight;
  };
}
