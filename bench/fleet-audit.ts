/**
 * `audit` of a simulated fleet against the local stand-in (test/http/fleet-gitlab.ts served over
 * HTTP on 127.0.0.1, a fixed latency added before every answer, as a network would): wall time,
 * requests per project, peak memory (max RSS of each CLI process, /usr/bin/time) and how wall
 * time falls with 1, 2 and 4 shards run side by side as CI's `parallel:` would. The built CLI
 * (dist/) runs as its own process; nothing leaves 127.0.0.1.
 *
 *   npm run build && npx tsx bench/fleet-audit.ts [--size 10000] [--latency 30] [--shards 1,2,4] [--concurrency 8]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CENTRAL, fleetStandIn } from '../test/http/fleet-gitlab.js';
import { gitlabHandlersFor } from '../test/http/gitlab-handlers.js';
import { serveHandlers } from '../test/http/serve-handlers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'glpat-bench-fleet-token';
const arg = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
};
const size = Number(arg('size', '10000'));
const latencyMs = Number(arg('latency', '30'));
const concurrency = arg('concurrency', '8');
const shardCounts = arg('shards', '1,2,4').split(',').map(Number);

interface ShardRun {
  readonly code: number;
  readonly maxRssKb: number;
  /** User + system CPU seconds of the CLI process. */
  readonly cpuS: number;
  readonly rows: number;
}

function runShard(url: string, folder: string, index: number, total: number): Promise<ShardRun> {
  const out = join(folder, `shard-${index}-of-${total}.jsonl`);
  const args = ['-f', '%M %U %S', process.execPath, join(root, 'dist/cli/main.js'), 'audit', '--group', 'acme', '--central-config', CENTRAL, '--policy-project', 'security/policies', '--format', 'jsonl', '--out', out, '--concurrency', concurrency, '--shard', `${index}/${total}`];
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/time', args, { env: { PATH: process.env['PATH'] ?? '', CI: 'true', CI_SERVER_URL: url, POLICY_SIDECAR_TOKEN: TOKEN }, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      if (code !== 0 && code !== 1) return reject(new Error(`shard ${index}/${total} exited ${code}: ${stderr.slice(-500)}`));
      const [rss, user, system] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      readFile(out, 'utf8').then(
        (text) => resolve({ code, maxRssKb: rss ?? 0, cpuS: (user ?? 0) + (system ?? 0), rows: text.split('\n').filter((line) => line !== '').length }),
        reject,
      );
    });
  });
}

const results: string[] = [];
for (const total of shardCounts) {
  const served = await serveHandlers(
    (baseUrl) => [...fleetStandIn({ baseUrl, token: TOKEN, size }).handlers, ...gitlabHandlersFor(join(root, 'examples/workspace'), { baseUrl, token: TOKEN })],
    { latencyMs },
  );
  const folder = await mkdtemp(join(tmpdir(), 'bench-fleet-'));
  const started = performance.now();
  const standInCpu = process.cpuUsage();
  const shards = await Promise.all(Array.from({ length: total }, (_, index) => runShard(served.url, folder, index + 1, total)));
  const wallS = (performance.now() - started) / 1000;
  const rows = shards.reduce((sum, shard) => sum + shard.rows, 0);
  const perProject = served.requests.filter((request) => /\/projects\/1\d{5}\//.test(request)).length / rows;
  const listing = served.requests.filter((request) => /\/groups\/acme\/projects/.test(request)).length;
  const peakMb = Math.max(...shards.map((shard) => shard.maxRssKb)) / 1024;
  const cliCpuMs = (1000 * shards.reduce((sum, shard) => sum + shard.cpuS, 0)) / rows;
  const used = process.cpuUsage(standInCpu);
  // The stand-in runs in this process: when its CPU nears the wall time, it is the bottleneck, not the CLI.
  const standInS = (used.user + used.system) / 1e6;
  results.push(
    `${String(total).padStart(6)}  ${String(rows).padStart(8)}  ${wallS.toFixed(1).padStart(8)}  ${(rows / wallS).toFixed(0).padStart(11)}  ${perProject.toFixed(2).padStart(12)}  ${String(listing).padStart(13)}  ${peakMb.toFixed(0).padStart(11)}  ${cliCpuMs.toFixed(2).padStart(15)}  ${standInS.toFixed(0).padStart(14)}`,
  );
  await served.close();
}
process.stdout.write(`audit of ${size} simulated projects, ${latencyMs} ms per request, --concurrency ${concurrency} per shard\n`);
process.stdout.write('shards  projects  wall (s)  projects/s  requests/proj  listing pages  peak RSS MB  CLI CPU ms/proj  stand-in CPU s\n');
process.stdout.write(`${results.join('\n')}\n`);
