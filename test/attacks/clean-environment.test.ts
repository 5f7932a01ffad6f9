/**
 * Attacks through the job's environment on the CLI process itself (issue #10 item 3). The
 * attacker sets project or pipeline variables: NODE_OPTIONS=--require <checkout file>, PATH with a
 * folder of the checkout first (fake node, env, cat, sh...), BASH_ENV/ENV, LD_PRELOAD, a forged
 * cache folder, a proxy or CA file of their own. The component's compiled script (our engine
 * interpolates templates/*.yml) runs under sh and bash with those variables exported first, as
 * the runner does, and starts the real CLI against a GitLab stand-in: the attacker's code never
 * runs, and the composed pipeline still holds the policies. A control case runs the same hostile
 * shell without the component's protections and sees the attacker's code run, so the markers
 * can fail the test.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry } from '../helpers/built-cli.js';
import { composeJob, jobVariables, writeCheckout } from '../helpers/ci-job.js';
import { startTunnelProxy } from '../http-client/local-servers.js';
import type { ServedHandlers } from '../http/serve-handlers.js';
import { includingConfig, jobNamed, resolveWithOurEngine, scriptOf, type ComponentName } from '../templates/template-fixtures.js';
import { cli, composeAsJob, examples, startGitlab, TOKEN } from './job-harness.js';

const servers: ServedHandlers[] = [];
let gitlab: ServedHandlers;
let tools: string;

async function standIn(): Promise<ServedHandlers> {
  const served = await startGitlab();
  servers.push(served);
  return served;
}

/** What the attacker's code leaves behind when it runs: one file per way in. */
async function markersIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

const SHELLS = ['/bin/sh', '/bin/bash'].filter((shell) => existsSync(shell));

beforeAll(async () => {
  gitlab = await standIn();
  // The image's /usr/local/bin/policy-sidecar, here the real CLI as built in dist/. A bash script
  // where bash exists: a bash started with BASH_ENV in its environment runs that file first.
  tools = await mkdtemp(join(tmpdir(), 'image-'));
  const shebang = existsSync('/bin/bash') ? '#!/bin/bash' : '#!/bin/sh';
  await writeFile(join(tools, 'policy-sidecar'), `${shebang}\nexec '${process.execPath}' '${cliEntry}' "$@"\n`);
  await chmod(join(tools, 'policy-sidecar'), 0o755);
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** A checkout holding the attacker's files, and the variables that point at them. */
async function hostileCheckout(): Promise<{ checkout: string; markers: string; variables: Record<string, string> }> {
  const checkout = await writeCheckout(join(examples, 'acme/web'));
  const markers = await mkdtemp(join(tmpdir(), 'markers-'));
  await writeFile(join(checkout, 'evil.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(join(markers, 'node-options'))}, 'ran');\n`);
  await writeFile(join(checkout, 'evil.sh'), `echo ran > '${join(markers, 'shell-startup')}'\n`);
  await mkdir(join(checkout, 'bin'));
  for (const name of ['node', 'env', 'cat', 'sh', 'bash', 'tr', 'policy-sidecar']) {
    await writeFile(join(checkout, 'bin', name), `#!/bin/sh\necho ran > '${join(markers, `path-${name}`)}'\nexit 97\n`);
    await chmod(join(checkout, 'bin', name), 0o755);
  }
  return {
    checkout,
    markers,
    variables: {
      NODE_OPTIONS: `--require ${join(checkout, 'evil.cjs')}`,
      BASH_ENV: join(checkout, 'evil.sh'),
      ENV: join(checkout, 'evil.sh'),
      // No such library: a loader that still had it would say so on standard error.
      LD_PRELOAD: join(checkout, 'evil.so'),
    },
  };
}

/** `export NAME='value'` lines, as the runner exports a job's variables before its script. */
function exportsOf(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'"'"'`)}'`)
    .join('\n');
}

interface ShellRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runShell(shell: string, script: string, cwd: string): Promise<ShellRun> {
  return new Promise((resolve) => {
    execFile(shell, ['-c', script], { cwd, env: { PATH: '/usr/bin:/bin', HOME: tmpdir() } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

async function composeScript(component: ComponentName): Promise<string> {
  const inputs = { gitlab_url: gitlab.url, cli: join(tools, 'policy-sidecar'), policy_projects: 'security/policies' };
  const pipeline = await resolveWithOurEngine(includingConfig(component, inputs), { source: 'push', branch: 'main' });
  return scriptOf(jobNamed(pipeline, 'policy:compose')).join('\n');
}

describe.each(SHELLS)('the component script under %s with hostile variables', (shell) => {
  it.each<ComponentName>(['policy-sidecar', 'policy-sidecar-opt-in'])('%s: NODE_OPTIONS, PATH, BASH_ENV, ENV and LD_PRELOAD never run the attacker\'s code; the policies apply', async (component) => {
    const { checkout, markers, variables } = await hostileCheckout();
    if (component === 'policy-sidecar-opt-in') await mkdir(join(checkout, '.gitlab'), { recursive: true }).then(() => writeFile(join(checkout, '.gitlab/project-ci.yml'), 'unit-tests:\n  script: [exit 0]\n'));
    const job = jobVariables(composeJob(), 'https://gitlab.invalid', { POLICY_SIDECAR_TOKEN: TOKEN, CI_CONFIG_PATH: component === 'policy-sidecar' ? 'pipeline.yml@platform/ci' : '.gitlab-ci.yml' });
    const prelude = `${exportsOf({ ...job, ...variables })}\nexport PATH='${join(checkout, 'bin')}':"$PATH"\n`;
    const run = await runShell(shell, prelude + (await composeScript(component)), checkout);
    expect(await markersIn(markers)).toEqual([]);
    expect(run.stderr).not.toMatch(/LD_PRELOAD|ld\.so/);
    expect(run.code, run.stderr).toBe(0);
    // The two-file layout the component runs (--pre-out): the strict pre jobs in policy:pre's pipeline.
    const composed = await readFile(join(checkout, 'policy-pipeline.yml'), 'utf8');
    expect(composed).toContain('secret-detection-0:');
    expect(composed).toContain('policy-sidecar:pipeline-policy-post');
    const pre = await readFile(join(checkout, 'policy-pre-pipeline.yml'), 'utf8');
    expect(pre).toContain('stage: policy-sidecar:pipeline-policy-pre');
    expect(pre).toMatch(/^secrets-precheck:/m);
  });

  it('control: the same shell without the component\'s protections runs the attacker\'s code', async () => {
    const { checkout, markers, variables } = await hostileCheckout();
    const prelude = `${exportsOf(variables)}\nexport PATH='${join(checkout, 'bin')}':"$PATH"\n`;
    // The command lines before issue #10: the CLI by name on PATH, and by path with the job's environment.
    await runShell(shell, `${prelude}policy-sidecar --version\n'${join(tools, 'policy-sidecar')}' --version\n`, checkout);
    const expected = ['node-options', 'path-policy-sidecar', ...(existsSync('/bin/bash') ? ['shell-startup'] : [])].sort();
    expect(await markersIn(markers)).toEqual(expected);
  });
});

describe('settings the job\'s variables cannot steer', () => {
  it('POLICY_SIDECAR_CACHE_DIR pointing at a forged cache: neither read nor written', async () => {
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    const forged = join(checkout, '.forged-cache');
    await mkdir(forged);
    await writeFile(join(forged, 'forged-entry.json'), '{"etag":"W/\\"0\\"","body":"policy file with no policies"}');
    const run = await composeAsJob(gitlab, checkout, { POLICY_SIDECAR_CACHE_DIR: forged });
    expect(run.code, run.stderr).toBe(0);
    expect(await readdir(forged)).toEqual(['forged-entry.json']);
    expect(run.stdout).toContain('lint:policy-900-1:');
    // Control: on a terminal the variable is honoured (the folder fills), so the check above can fail.
    const terminal = await cli(['compose', '--gitlab-url', gitlab.url, '--project', 'acme/web', '--policy-project', 'security/policies'], checkout, {
      PATH: '/usr/bin:/bin',
      HOME: tmpdir(),
      POLICY_SIDECAR_TOKEN: TOKEN,
      POLICY_SIDECAR_CACHE_DIR: forged,
    });
    expect(terminal.code, terminal.stderr).toBe(0);
    expect((await readdir(forged)).length).toBeGreaterThan(1);
  });

  it('HTTPS_PROXY/HTTP_PROXY of the job: no request goes through that proxy', async () => {
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    const proxy = await startTunnelProxy();
    try {
      const run = await composeAsJob(gitlab, checkout, { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, https_proxy: proxy.url, http_proxy: proxy.url });
      expect(run.code, run.stderr).toBe(0);
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('NODE_EXTRA_CA_CERTS and CI_SERVER_TLS_CA_FILE naming a file of the checkout: never read', async () => {
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    // Not a PEM file: reading it would fail compose with http-ca-file, as the control shows.
    await writeFile(join(checkout, 'attacker-ca.pem'), 'not a certificate');
    const run = await composeAsJob(gitlab, checkout, { NODE_EXTRA_CA_CERTS: join(checkout, 'attacker-ca.pem'), CI_SERVER_TLS_CA_FILE: join(checkout, 'attacker-ca.pem') });
    expect(run.code, run.stderr).toBe(0);
    const control = await composeAsJob(gitlab, checkout, {}, composeJob(), ['--ca-file', join(checkout, 'attacker-ca.pem')]);
    expect(control.code).toBe(3);
    expect(control.stderr).toContain('holds no PEM certificate');
  });
});
