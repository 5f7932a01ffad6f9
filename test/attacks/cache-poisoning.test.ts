/**
 * Attack: the compose job's cache folder (--cache-dir) is shared through the runner cache, which
 * a project's own jobs can write. A job rewrites the kept copy of the policy file to an empty
 * policy list, hoping the next compose uses it instead of asking GitLab. Raw files are kept under
 * the digests GitLab sends with them (X-Gitlab-Content-Sha256, X-Gitlab-Blob-Id) and checked
 * against the one GitLab gives in the next run (the file's metadata HEAD, or the policy project's
 * tree listing) when read back: the rewritten copy is ignored and the policies still apply. The real CLI
 * process against the GitLab stand-in serving the example workspace. The same holds for the JSON
 * answers kept by ETag: a kept body is used only when it is the body the ETag (Rack::ETag, a
 * SHA-256 prefix) describes, which GitLab confirms with its 304.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { repoRoot, runRealCli, succeeded } from './real-cli.js';

const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-attack-secret-0123456789';
let gitlab: ServedHandlers;
let checkout: string;

beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'checkout-'));
  await cp(join(examples, 'acme/web'), checkout, { recursive: true });
  gitlab = await serveHandlers((baseUrl) => gitlabHandlersFor(examples, { baseUrl, token: TOKEN, only: ['project', 'raw-file', 'file-metadata', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'merge-requests', 'graphql'] }));
});
afterAll(() => gitlab.close());

async function compose(cacheDir: string): Promise<string> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: tmpdir(),
    POLICY_SIDECAR_TOKEN: TOKEN,
  };
  const flags = ['--gitlab-url', gitlab.url, '--project', 'acme/web', '--branch', 'main', '--source', 'push', '--policy-project', 'security/policies', '--cache-dir', cacheDir];
  const { stdout } = succeeded(await runRealCli(['compose', ...flags], { cwd: checkout, env }));
  return stdout;
}

/** Rewrites the body of each kept entry `rewrite` answers for (undefined: left alone); returns how many. */
async function rewriteKeptBodies(cacheDir: string, rewrite: (body: string) => string | undefined): Promise<number> {
  let rewritten = 0;
  for (const name of await readdir(cacheDir)) {
    const file = join(cacheDir, name);
    const entry = JSON.parse(await readFile(file, 'utf8')) as { body: string };
    const body = rewrite(entry.body);
    if (body === undefined) continue;
    await writeFile(file, JSON.stringify({ ...entry, body }));
    rewritten += 1;
  }
  return rewritten;
}

it('a rewritten cached policy file is not used: the policy jobs are still composed', async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'shared-cache-'));
  const honest = await compose(cacheDir);
  expect(honest).toContain('secrets-precheck:');
  const rewritten = await rewriteKeptBodies(cacheDir, (body) => (body.includes('pipeline_execution_policy') ? 'pipeline_execution_policy: []\nscan_execution_policy: []\n' : undefined));
  // Both kept copies: under the SHA-256 (checked on a HEAD) and the git blob id (checked on a tree listing).
  expect(rewritten).toBe(2);
  const before = gitlab.requests.length;
  const attacked = await compose(cacheDir);
  expect(attacked).toBe(honest);
  // The policy file was downloaded again, its kept copy refused.
  expect(gitlab.requests.slice(before).filter((request) => request.includes('policy.yml/raw'))).toHaveLength(1);
});

// Two and three real CLI runs: a loaded machine needs more than the default 30 s; no clock in the assertions.
it("rewritten kept JSON answers (the project's group moved out of the policy's scope) are not used: the policies still apply", { timeout: 120_000 }, async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'shared-cache-'));
  const honest = await compose(cacheDir);
  expect(honest).toContain('secrets-precheck:');
  // The "Supply-chain checks" policy is scoped to group id 10 (acme). The job makes acme/web's
  // namespace and the group acme say 999, keeping each entry's ETag, so GitLab's 304 would
  // vouch for them if the bodies were taken on trust.
  const rewritten = await rewriteKeptBodies(cacheDir, (text) => {
    const body = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    if (body?.['path_with_namespace'] === 'acme/web') body['namespace'] = { ...(body['namespace'] as object), id: 999 };
    else if (body?.['full_path'] === 'acme') body['id'] = 999;
    else return undefined;
    return JSON.stringify(body);
  });
  expect(rewritten).toBe(2);
  const attacked = await compose(cacheDir);
  expect(attacked).toBe(honest);
});

it('a forged policy file planted under its own blob id, and the kept tree listing rewritten to name it: not used', { timeout: 120_000 }, async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'shared-cache-'));
  const honest = await compose(cacheDir);
  // The second run lists the policy project's tree (three files were read there) and keeps it.
  expect(await compose(cacheDir)).toBe(honest);
  const forged = 'pipeline_execution_policy: []\nscan_execution_policy: []\n';
  const bytes = Buffer.from(forged, 'utf8');
  const forgedBlobId = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  // Planted where the cache looks for that blob id (the file name is the SHA-256 of the key, which anyone can compute).
  const plantedKey = `content blob:${forgedBlobId}`;
  await writeFile(join(cacheDir, `${createHash('sha256').update(plantedKey).digest('hex')}.json`), JSON.stringify({ version: 1, etag: forgedBlobId, status: 200, headers: {}, body: forged }));
  // The ETag is kept as it was, so GitLab's 304 would vouch for the listing if the body were taken on trust.
  const rewritten = await rewriteKeptBodies(cacheDir, (body) => {
    if (!body.includes('"path":".gitlab/security-policies/policy.yml"')) return undefined;
    return JSON.stringify((JSON.parse(body) as { path: string; id: string }[]).map((item) => (item.path === '.gitlab/security-policies/policy.yml' ? { ...item, id: forgedBlobId } : item)));
  });
  expect(rewritten).toBe(1);
  expect(await compose(cacheDir)).toBe(honest);
});
