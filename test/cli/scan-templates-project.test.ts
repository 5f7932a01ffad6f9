/**
 * `--templates project:<full/path>[@<ref>][:<folder>]`: scan templates read from a project through
 * the run's source, offline from the workspace folder and in a CI job through the GitLab API (a
 * stand-in on 127.0.0.1 serving a copy of the example workspace with a templates project added).
 * Same rules as `--templates DIR`: file-by-file replacement, unknown names refused, an invalid
 * template a policy error naming `project:path`, a missing project or folder fails closed.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseTemplatesProject } from '../../src/cli/read-scan-templates.js';
import { UsageError } from '../../src/errors.js';
import { composeScans, policies, POLICY_FILE, scanPolicy } from '../compose/sep/scan-workspace.js';
import { runInProcess } from '../helpers/temp-workspace.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(repoRoot, 'test/fixtures/scan-templates-project');
const MIRRORED = 'registry.example.com/mirror/secrets:7.1.0';
const INVALID = 'secret_detection:\n  stage: test\n  script: []\n';

const secrets = scanPolicy('Secrets', [{ scan: 'secret_detection' }]);
let mirrored = '';
beforeAll(async () => {
  mirrored = await readFile(join(fixture, 'scans/secret_detection.yml'), 'utf8');
});

describe('parsing --templates project:...', () => {
  it.each([
    ['project:platform/scan-templates', { project: 'platform/scan-templates', ref: undefined, folder: '' }],
    ['project:platform/scan-templates@v2', { project: 'platform/scan-templates', ref: 'v2', folder: '' }],
    ['project:platform/scan-templates:scans', { project: 'platform/scan-templates', ref: undefined, folder: 'scans' }],
    ['project:a/b/c@release/2.x:ci/scans/', { project: 'a/b/c', ref: 'release/2.x', folder: 'ci/scans' }],
  ])('%s', (value, expected) => {
    expect(parseTemplatesProject(value)).toEqual(expected);
  });

  it('anything else is a local folder, ./project:x included', () => {
    expect(parseTemplatesProject('scans')).toBeUndefined();
    expect(parseTemplatesProject('./project:x')).toBeUndefined();
  });

  it.each(['project:', 'project:scan-templates', 'project:a/b@', 'project:a/b@v 2', 'project:a/b:', 'project:a/b:../x', 'project:/a/b'])(
    '%s is refused with the syntax',
    (value) => {
      expect(() => parseTemplatesProject(value)).toThrow(UsageError);
      expect(() => parseTemplatesProject(value)).toThrow(/project:<full\/path>\[@<ref>\]\[:<folder>\]|is not/);
    },
  );
});

describe('--templates project:... offline (workspace mode)', () => {
  const withProject = (files: Record<string, string>) => ({
    [POLICY_FILE]: policies([secrets]),
    ...Object.fromEntries(Object.entries(files).map(([path, text]) => [`platform/scan-templates/${path}`, text])),
  });

  it('replaces secret_detection from the project folder; the other templates stay built in', async () => {
    const files = withProject({ 'scans/secret_detection.yml': mirrored, 'README.md': 'templates\n' });
    const { code, stderr, jobs, report } = await composeScans(files, '--templates', 'project:platform/scan-templates:scans');
    expect(code, stderr).toBe(0);
    expect(jobs['secret-detection-0']).toMatchObject({ image: MIRRORED, stage: 'test', allow_failure: true });
    expect(report?.scanActions[0]?.template).toBe('secret_detection.yml');
    const sast = await composeScans({ ...files, [POLICY_FILE]: policies([scanPolicy('Sast', [{ scan: 'sast' }])]) }, '--templates', 'project:platform/scan-templates:scans');
    expect(sast.report?.scanActions[0]).toMatchObject({ template: 'sast.yml', jobs: ['semgrep-sast-0'] });
  });

  it('a ref reads the same folder (workspaces do not model refs); no folder is the repository root', async () => {
    const atRef = await composeScans(withProject({ 'scans/secret_detection.yml': mirrored }), '--templates', 'project:platform/scan-templates@v2:scans');
    expect(atRef.jobs['secret-detection-0']?.image).toBe(MIRRORED);
    const atRoot = await composeScans(withProject({ 'secret_detection.yml': mirrored, 'scans/sast.yml': 'x: 1\n' }), '--templates', 'project:platform/scan-templates');
    expect(atRoot.code, atRoot.stderr).toBe(0);
    expect(atRoot.jobs['secret-detection-0']?.image).toBe(MIRRORED);
  });

  it('an invalid template is a policy error (exit 2) naming project:path, line and column', async () => {
    const run = await composeScans(withProject({ 'scans/secret_detection.yml': INVALID }), '--templates', 'project:platform/scan-templates:scans');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/scan template platform\/scan-templates:scans\/secret_detection\.yml: jobs:secret_detection script can't be blank/);
    expect(run.stderr).toMatch(/platform\/scan-templates\/scans\/secret_detection\.yml:3:\d+: /);
  });

  it('a .yml file that is no template name is refused, not ignored', async () => {
    const run = await composeScans(withProject({ 'scans/secret-detection.yml': mirrored }), '--templates', 'project:platform/scan-templates:scans');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--templates project:platform\/scan-templates:scans: secret-detection\.yml is not a scan template name/);
  });

  it.each([
    ['a missing project', 'project:platform/nowhere:scans', /project platform\/nowhere was not found/],
    ['a missing folder', 'project:platform/scan-templates:scan', /project platform\/scan-templates has no folder scan/],
  ])('%s fails closed (exit 2), composing nothing', async (_, value, message) => {
    const run = await composeScans(withProject({ 'scans/secret_detection.yml': mirrored }), '--templates', value);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});

describe('--templates project:... in a CI job (API mode)', () => {
  const TOKEN = 'glpat-templates-0123456789';
  const servers: ServedHandlers[] = [];
  let workspace = '';
  let checkout = '';

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'templates-workspace-'));
    await cp(join(repoRoot, 'examples/workspace'), workspace, { recursive: true });
    await cp(fixture, join(workspace, 'platform/scan-templates'), { recursive: true });
    await cp(fixture, join(workspace, 'platform/broken-templates'), { recursive: true });
    await writeFile(join(workspace, 'platform/broken-templates/scans/secret_detection.yml'), INVALID);
    const metadata = parse(await readFile(join(workspace, 'workspace.yml'), 'utf8')) as { projects: Record<string, unknown> };
    metadata.projects['platform/scan-templates'] = { id: 950, default_branch: 'main', groups: [30] };
    metadata.projects['platform/broken-templates'] = { id: 951, default_branch: 'main', groups: [30] };
    await writeFile(join(workspace, 'workspace.yml'), stringify(metadata));
    checkout = await mkdtemp(join(tmpdir(), 'templates-checkout-'));
    await cp(join(workspace, 'acme/web'), checkout, { recursive: true });
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  async function composeInJob(templates: string) {
    const server = await serveHandlers((baseUrl) => gitlabHandlersFor(workspace, { baseUrl, token: TOKEN }));
    servers.push(server);
    // On a terminal the flags give project and branch (test/attacks/ covers --job).
    const env = { CI: 'true', POLICY_SIDECAR_TOKEN: TOKEN };
    const flags = ['--gitlab-url', server.url, '--project', 'acme/web', '--branch', 'main', '--policy-project', 'security/policies'];
    const run = await runInProcess(['compose', ...flags, '--http-retries', '0', '--templates', templates], checkout, env);
    return { ...run, requests: server.requests };
  }

  it('lists the folder and reads the template through the GitLab API, at the ref given', async () => {
    const run = await composeInJob('project:platform/scan-templates@v2:scans');
    expect(run.code, run.stderr).toBe(0);
    const jobs = parse(run.stdout) as Record<string, { image?: unknown }>;
    expect(jobs['secret-detection-0']?.image).toBe(MIRRORED);
    expect(run.requests).toContainEqual(expect.stringMatching(/^GET \/api\/v4\/projects\/platform%2Fscan-templates\/repository\/tree\?.*ref=v2/));
    expect(run.requests).toContainEqual(
      expect.stringMatching(/^GET \/api\/v4\/projects\/platform%2Fscan-templates\/repository\/files\/scans%2Fsecret_detection\.yml\/raw\?ref=v2/),
    );
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('an invalid template in the project: exit 2 naming project:path@ref', async () => {
    const run = await composeInJob('project:platform/broken-templates@main:scans');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/platform\/broken-templates:scans\/secret_detection\.yml@main:3:\d+: scan template platform\/broken-templates:scans\/secret_detection\.yml@main/);
  });

  it('a project the token cannot see fails closed', async () => {
    const run = await composeInJob('project:platform/hidden:scans');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/project platform\/hidden was not found/);
  });
});
