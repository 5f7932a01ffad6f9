/** The fleet report formats, exact output per format, and the shard arithmetic. */
import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src/fleet/audit-row.js';
import { findDrift } from '../../src/fleet/drift.js';
import { AUDIT_COLUMNS } from '../../src/fleet/output/columns.js';
import { formatNamed } from '../../src/fleet/output/row-format.js';
import { inShard, parseShard } from '../../src/fleet/shard.js';

const row: AuditRow = {
  id: 7,
  project: 'acme/web',
  state: 'ok',
  enforced: false,
  ciConfigPath: 'a,"b".yml',
  policies: [{ name: 'Secrets', type: 'scan_execution_policy', policyProject: 'security/policies', applied: true, reason: 'policy_scope is empty' }],
  pipeline: { id: 1, status: 'success', sha: 'abc' },
  verified: 'none',
  drift: [{ code: 'pipeline-variables-developer', message: 'minimum role to use pipeline variables is Developer' }],
  notes: [],
};

function render(name: string): string {
  const format = formatNamed<AuditRow>(name, AUDIT_COLUMNS, 'audit <acme>');
  return format.start + format.row(row) + format.end(1);
}

describe('audit formats', () => {
  it('csv: RFC 4180 quoting, CRLF lines', () => {
    expect(render('csv')).toBe(
      'project,enforced,ci_config_path,policies,pipeline,verified,drift,notes\r\n' +
        'acme/web,no,"a,""b"".yml",Secrets,success,none,minimum role to use pipeline variables is Developer,\r\n',
    );
  });

  it('jsonl: the row as it is, one line', () => {
    expect(render('jsonl')).toBe(`${JSON.stringify(row)}\n`);
  });

  it('table: fixed columns, long cells cut, a count at the end', () => {
    const lines = render('table').split('\n');
    expect(lines[0]).toMatch(/^PROJECT {35}ENFORCED {2}CI_CONFIG_PATH/);
    expect(lines[1]).toContain('minimum role to use pipeline variables …');
    expect(lines[2]).toBe('1 project');
  });

  it('html: the title and every cell escaped, the row marked as a problem', () => {
    const html = render('html');
    expect(html).toContain('<title>audit &#60;acme&#62;</title>');
    expect(html).toContain('<td class="plain">a,&#34;b&#34;.yml</td>');
    expect(html).toContain('<tr class="bad warn">');
  });

  it('an unknown format is a usage error, not the default', () => {
    expect(() => formatNamed('xml', AUDIT_COLUMNS, '')).toThrow(/--format must be one of table, jsonl, csv, html/);
  });
});

describe('drift', () => {
  it('names variables that override predefined and sidecar ones, sorted, and open pipeline variables', () => {
    expect(findDrift({ variableKeys: ['POLICY_SIDECAR_TOKEN', 'GITLAB_USER_LOGIN', 'CI_JOB_TOKEN', 'DEPLOY'], restrictUserDefinedVariables: false, pipelineVariablesMinimumRole: 'maintainer' }).map((finding) => finding.code)).toEqual([
      'variable-shadows-predefined',
      'variable-shadows-predefined',
      'variable-overrides-sidecar',
      'pipeline-variables-developer',
    ]);
  });

  it('no_one_allowed, maintainer and owner are not drift; unknown settings are not guessed', () => {
    for (const role of ['no_one_allowed', 'maintainer', 'owner']) {
      expect(findDrift({ variableKeys: [], restrictUserDefinedVariables: true, pipelineVariablesMinimumRole: role })).toEqual([]);
    }
    expect(findDrift({ variableKeys: undefined, restrictUserDefinedVariables: undefined, pipelineVariablesMinimumRole: undefined })).toEqual([]);
  });
});

describe('shard', () => {
  it('the flag wins over CI_NODE_INDEX/CI_NODE_TOTAL; neither means the whole group', () => {
    expect(parseShard('2/4', '1', '3')).toEqual({ index: 2, total: 4 });
    expect(parseShard(undefined, '3', '3')).toEqual({ index: 3, total: 3 });
    expect(parseShard(undefined, undefined, undefined)).toEqual({ index: 1, total: 1 });
  });

  it('every project is in exactly one shard', () => {
    const shards = [1, 2, 3].map((index) => ({ index, total: 3 }));
    for (let id = 1; id < 200; id += 1) expect(shards.filter((shard) => inShard(id, shard))).toHaveLength(1);
  });

  it('0/3, 4/3 and words are refused', () => {
    for (const text of ['0/3', '4/3', 'a/b', '1/0']) expect(() => parseShard(text, undefined, undefined)).toThrow(/--shard must be i\/n/);
  });
});
