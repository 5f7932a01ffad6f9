/**
 * `validate` on policy files, in-process. One folder per case under test/fixtures/policies/
 * holding `.gitlab/security-policies/policy.yml` (so the folder is a security policy project)
 * and `expected.txt`: `exit N`, then the exact standard output of `validate .` run in that folder.
 * `UPDATE_GOLDENS=1 npx vitest run test/cli/validate` rewrites expected.txt; review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

const fixtures = join(import.meta.dirname, '../fixtures/policies');
const update = process.env['UPDATE_GOLDENS'] === '1';

async function runInProcess(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const write = (target: 'out' | 'err') => (text: string) => {
    if (target === 'out') stdout += text;
    else stderr += text;
  };
  const code = await runCli(argv, { stdout: { write: write('out') }, stderr: { write: write('err') }, env: {}, cwd });
  return { code, stdout, stderr };
}

describe('validate prints every problem of a policy file', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, async () => {
      const dir = join(fixtures, name);
      const { code, stdout, stderr } = await runInProcess(['validate', '.'], dir);
      const actual = `exit ${code}\n${stdout}`;
      if (update) writeFileSync(join(dir, 'expected.txt'), actual);
      expect(stderr).toBe('');
      expect(actual).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
    });
  }

  it('names the policy file when given as a FILE, and validates the example policy project', async () => {
    const root = join(import.meta.dirname, '../..');
    const { code, stdout } = await runInProcess(
      ['validate', 'test/fixtures/policies/bad-enum/.gitlab/security-policies/policy.yml', 'examples/workspace/security/policies'],
      root,
    );
    expect(code).toBe(2);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^test\/fixtures\/policies\/bad-enum\/\.gitlab\/security-policies\/policy\.yml:4:5: pipeline_execution_policy\[0\] "Strategies": pipeline_config_strategy must be one of /);
    expect(lines.at(-1)).toBe('examples/workspace/security/policies/.gitlab/security-policies/policy.yml: valid');
  });
});
