/**
 * The CLI runs in the project's checkout, which the developer controls. What the package ships
 * next to its code (the built-in scan templates, the generated schema validators, package.json)
 * and the packages it loads from node_modules (pino, kept out of the bundle) are found from the
 * bundle's own location (src/cli/package-files.ts, Node's resolution from dist/), never from the
 * working folder: a checkout that plants look-alikes at the same relative paths changes nothing,
 * and its code never runs. A control case shows each decoy does work where it is pointed at.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { examples } from './job-harness.js';
import { repoRoot, runRealCli, succeeded, writeTree } from './real-cli.js';

const MARKER = 'decoy-ran';

/** A module that leaves a marker file in the working folder when it is loaded. */
const markerModule = (why: string) => `require('node:fs').writeFileSync(${JSON.stringify(MARKER)}, ${JSON.stringify(why)});\nmodule.exports = () => true;\n`;

const DECOY_JOB = { stage: 'test', script: ['echo the developer replaced the secret detection job'] };

let checkout = '';
let clean = '';

beforeAll(async () => {
  checkout = await writeTree({
    // The package root's files, at the same paths relative to the checkout.
    'package.json': JSON.stringify({ name: 'policy-sidecar', version: '6.6.6', type: 'commonjs' }),
    'templates/scans/secret_detection.yml': { secret_detection: DECOY_JOB },
    'dist/validators/policies/policy-validators.exactPolicyValidator.cjs': markerModule('policy validator'),
    'dist/validators/policies/policy-validators.closedPolicyValidator.cjs': markerModule('policy validator'),
    // An external package, where Node would find it from the checkout.
    'node_modules/pino/package.json': JSON.stringify({ name: 'pino', version: '99.0.0', main: 'index.js' }),
    'node_modules/pino/index.js': markerModule('pino'),
  });
  clean = await mkdtemp(join(tmpdir(), 'clean-cwd-'));
});

function compose(cwd: string, flags: readonly string[] = []) {
  const args = ['compose', '--workspace', examples, '--project', 'acme/web', '--policy-project', 'security/policies', '--branch', 'main', '--source', 'push'];
  return runRealCli([...args, ...flags], { cwd });
}

describe('package files planted in the checkout', () => {
  it('a scan template at templates/scans/ of the checkout: the built-in template is used, the composed pipeline is the same', async () => {
    const planted = succeeded(await compose(checkout));
    const reference = succeeded(await compose(clean));
    expect(planted.stdout).toBe(reference.stdout);
    expect(planted.stdout).toContain('secret_detection');
    expect(planted.stdout).not.toContain('the developer replaced');
  });

  it('control: the same template named by --templates is taken, so the decoy would show', async () => {
    const pointed = succeeded(await compose(clean, ['--templates', join(checkout, 'templates/scans')]));
    expect(pointed.stdout).toContain('the developer replaced the secret detection job');
  });

  it('validators at dist/validators/ of the checkout never run; the policies are still checked', async () => {
    const result = await runRealCli(['validate', join(examples, 'security/policies')], { cwd: checkout });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(checkout, MARKER))).toBe(false);
    const broken = await writeTree({ '.gitlab/security-policies/policy.yml': 'scan_execution_policy: not-a-list\n' });
    const rejected = await runRealCli(['validate', broken], { cwd: checkout });
    expect(rejected.code, rejected.stderr).toBe(2);
    expect(existsSync(join(checkout, MARKER))).toBe(false);
  });

  it('a pino at node_modules/ of the checkout never loads, with --log-level debug (which loads pino)', async () => {
    const result = await compose(checkout, ['--log-level', 'debug']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('starting');
    expect(existsSync(join(checkout, MARKER))).toBe(false);
  });

  it('control: Node resolving pino from the checkout loads the decoy, so the marker would show', async () => {
    const control = await mkdtemp(join(tmpdir(), 'decoy-control-'));
    await writeTree({ 'node_modules/pino/package.json': JSON.stringify({ name: 'pino', main: 'index.js' }), 'node_modules/pino/index.js': markerModule('pino') }, control);
    await new Promise<void>((resolve, reject) => execFile(process.execPath, ['-e', "require('pino')"], { cwd: control }, (error) => (error === null ? resolve() : reject(error))));
    expect(await readFile(join(control, MARKER), 'utf8')).toBe('pino');
  });

  it("a package.json in the checkout: --version is the package's own", async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const result = succeeded(await runRealCli(['--version'], { cwd: checkout }));
    expect(result.stdout).toBe(`${version}\n`);
  });
});
