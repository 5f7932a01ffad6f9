/**
 * `verify` against a GitLab stand-in answering every request in 20 ms (test/http/serve-handlers.ts
 * with the example workspace and a recorded good pipeline, on 127.0.0.1): verifications per
 * second one at a time and 8 at a time, and GitLab requests per verification by endpoint kind.
 * Runnable alone: `npx tsx bench/verify-throughput.ts`. Prints numbers, asserts nothing.
 */
import { pathToFileURL } from 'node:url';
import { createHttpClient } from '../src/http/client.js';
import { createDispatcher } from '../src/http/dispatcher.js';
import { DEFAULT_VERIFY_SETTINGS } from '../src/verify/settings.js';
import { verifyPipelineById } from '../src/verify/verify-and-publish.js';
import { apiPorts } from '../src/cli/verify-setup.js';
import { gitlabHandlersFor } from '../test/http/gitlab-handlers.js';
import { serveHandlers } from '../test/http/serve-handlers.js';
import { recordedAnswerHandlers } from '../test/http/verify-records.js';
import { composeGoodReport, EXAMPLES } from '../test/verify/compose-good-report.js';
import { CENTRAL_CONFIG, PIPELINE_ID, PROJECT_ID, verifyCases } from '../test/verify/recorded-pipelines.js';
import { printRows } from './measure.js';

const TOKEN = 'glpat-bench-verify-0123456789';
const LATENCY_MS = 20;
const SERIAL = 10;
const PARALLEL = 8;
const PARALLEL_ROUNDS = 4;

export async function benchVerifyThroughput(): Promise<void> {
  // verify (one source per verification), then serve (one source and the project records shared for 30 s).
  await benchOnce('verify: nothing shared between verifications', 0);
  await benchOnce('serve: project records, metadata and policy files shared for 30 s', 30_000);
}

async function benchOnce(title: string, reuseMs: number): Promise<void> {
  const answers = verifyCases(await composeGoodReport()).find((item) => item.name === 'good-pipeline')?.answers ?? {};
  const served = await serveHandlers(
    (baseUrl) => [
      ...recordedAnswerHandlers(`${baseUrl}/api/v4`, answers, { projectId: PROJECT_ID, projectPath: 'acme/web' }, { statuses: [], notes: [] }),
      ...gitlabHandlersFor(EXAMPLES, { baseUrl, token: TOKEN }),
    ],
    { latencyMs: LATENCY_MS },
  );
  const dispatcher = createDispatcher({}, { connectTimeoutMs: 10_000, readTimeoutMs: 10_000 });
  const client = createHttpClient({ baseUrl: `${served.url}/api/v4`, credential: { header: 'PRIVATE-TOKEN', value: TOKEN }, dispatcher, retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  const io = { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, cwd: process.cwd() };
  const ports = apiPorts({ client, serverUrl: served.url, dispatcher, ownsDispatcher: true }, { ...DEFAULT_VERIFY_SETTINGS, centralConfigPath: CENTRAL_CONFIG }, { configPath: '.gitlab-ci.yml', policyProjects: ['security/policies'], templates: undefined, allowRemoteHosts: [] }, io, undefined, { reuseMs, now: Date.now });
  const once = async () => {
    const { verdict } = await verifyPipelineById(ports, 'acme/web', PIPELINE_ID);
    if (!verdict.verified) throw new Error(`bench pipeline not verified: ${verdict.summary}`);
  };
  try {
    await once(); // warm-up: JIT, connections
    const before = served.requests.length;
    const roundsBefore = served.busyPeriods();
    let start = performance.now();
    for (let index = 0; index < SERIAL; index += 1) await once();
    const serialMs = (performance.now() - start) / SERIAL;
    const perVerification = served.requests.slice(before, before + (served.requests.length - before) / SERIAL);
    const rounds = (served.busyPeriods() - roundsBefore) / SERIAL;
    start = performance.now();
    for (let round = 0; round < PARALLEL_ROUNDS; round += 1) await Promise.all(Array.from({ length: PARALLEL }, once));
    const parallelSeconds = (performance.now() - start) / 1000;
    const kinds = new Map<string, number>();
    for (const request of perVerification) {
      const path = request.replace(/\?.*$/, '').replace(/^GET \/api\/v4\/projects\/[^/]+/, '').replace(/^GET \/api\/v4/, '').replace(/^POST \/api\/graphql/, 'graphql');
      const kind = /repository\/files\/.*security-policies/.test(decodeURIComponent(path)) ? 'policy.yml' : /repository\/files\//.test(path) ? 'other file (project config, policy CI files)' : path.replace(/[0-9a-f]{40}/g, ':sha').replace(/\/\d+/g, '/:id') || 'project';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    printRows(`${title}, against a GitLab stand-in answering in ${LATENCY_MS} ms`, [
      ['one at a time', `${serialMs.toFixed(0)} ms per verification (${(1000 / serialMs).toFixed(1)}/s), ${rounds.toFixed(0)} round trips`],
      [`${PARALLEL} at a time`, `${((PARALLEL * PARALLEL_ROUNDS) / parallelSeconds).toFixed(1)} verifications/s`],
      ['GitLab requests per verification', `${perVerification.length}`],
      ...[...kinds.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]): [string, string] => [`  ${kind}`, String(count)]),
    ]);
  } finally {
    await dispatcher.close();
    await served.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchVerifyThroughput();
