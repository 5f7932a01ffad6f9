/**
 * The published layout, built the way the Dockerfile builds it but without Docker: `npm pack`,
 * install the tarball with production dependencies only, run the installed bin. It runs in
 * `npm test` (one install of the production dependencies, from npm's cache when it holds them:
 * `--prefer-offline`, as `npm ci` has just fetched them). The bundle is the repository's own
 * dist/, which the vitest global setup (test/helpers/build-dist.ts) rebuilds before any test
 * whenever a source is newer, so it is what `npm run build` gives for the current sources;
 * packing with `--ignore-scripts` skips `prepare`, which would build it a second time.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SETUP_TIMEOUT = 180_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, CI: '', NO_COLOR: '1', npm_config_update_notifier: 'false' };
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

async function mustRun(command: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

let root = '';
let packed: string[] = [];
let bin = '';
let version = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'package-layout-'));
  const packJson = await mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], repoRoot);
  const [pack] = JSON.parse(packJson) as { filename: string; files: { path: string }[] }[];
  if (pack === undefined) throw new Error('npm pack printed no package');
  packed = pack.files.map((file) => file.path).sort();

  const app = join(root, 'app');
  await cp(join(repoRoot, 'examples/workspace'), join(app, 'workspace'), { recursive: true });
  await writeFile(join(app, 'package.json'), '{ "private": true }\n');
  await mustRun('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', join(root, pack.filename)], app);
  bin = join(app, 'node_modules/.bin/policy-sidecar');
  version = (JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}, SETUP_TIMEOUT);

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships the bundled CLI and action with their source maps, the validators, the policy schema, the templates and the README', () => {
    for (const path of [
      'package.json',
      'README.md',
      'dist/cli/main.js',
      'dist/cli/main.js.map',
      'dist/github/action.js',
      'dist/validators/policies/policy-validators.exactPolicyValidator.cjs',
      'dist/THIRD-PARTY-LICENSES.txt',
      'schema/policy.schema.json',
      'templates/policy-sidecar.yml',
      'templates/policy-sidecar-opt-in.yml',
      'templates/README.md',
    ]) {
      expect(packed, path).toContain(path);
    }
  });

  it('ships no sources, tests, CI scripts, examples or dependencies', () => {
    const unwanted = packed.filter((path) => /^(src|test|bench|scripts|examples|docs|\.ci|node_modules)\//.test(path) || path.endsWith('.ts') && !path.endsWith('.d.ts'));
    expect(unwanted).toEqual([]);
  });

  it('ships only the bundle under dist/: its entries, chunks, validators and licences, not the build metafile', () => {
    const dist = packed.filter((path) => path.startsWith('dist/') && path !== 'dist/THIRD-PARTY-LICENSES.txt');
    expect(dist.filter((path) => !/^dist\/(cli\/main|github\/action|chunks\/[\w-]+)\.js(\.map)?$|^dist\/validators\/[\w/.-]+\.cjs$/.test(path))).toEqual([]);
    expect(dist.filter((path) => path.startsWith('dist/chunks/')).length).toBeGreaterThan(0);
  });

  it('installs a bin that prints its version', async () => {
    const result = await run(bin, ['--version'], root);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('composes the example workspace with production dependencies only', async () => {
    const result = await run(bin, ['compose', '--workspace', 'workspace', '--project', 'acme/web', '--policy-project', 'security/policies'], join(root, 'app'));
    expect(result.code, result.stderr).toBe(0);
    const pipeline = parse(result.stdout) as Record<string, unknown>;
    expect(pipeline).toHaveProperty('stages');
    expect(Object.keys(pipeline)).toEqual(expect.arrayContaining(['build', 'secrets-precheck']));
  });

  it('validates the example policy project', async () => {
    const result = await run(bin, ['validate', 'workspace/security/policies'], join(root, 'app'));
    expect(result.code, result.stderr).toBe(0);
  });
});
