/**
 * Attack: the project writes both a pattern and the text it is matched against (a variable, a
 * branch name, a changed path, a file name), choosing a pattern that backtracks exponentially:
 * `/^(a+)+$/` against 40 `a`s and a `b` (41 characters) ran for minutes before, so the compose job
 * timed out instead of composing. Expected: GitLab's answer (RE2 and fnmatch are linear), so the
 * compose finishes and decides every job as GitLab would. Each case asserts the decision, not a
 * time; a regression shows as a test that never finishes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runRealCli, writeTree } from './real-cli.js';

const EVIL_REGEX = '/^(a+)+$/';
const ALMOST = `${'a'.repeat(40)}b`; // 41 characters: the input
const EVIL_GLOB = `${'*a'.repeat(13)}*b`; // `*` stops at nothing but `/`: C(100, 13) ways to fail
const LONG_NAME = 'a'.repeat(100);

const job = (extra: Record<string, unknown>) => ({ stage: 'test', script: ['true'], ...extra });

const ciFile = {
  variables: { PAYLOAD_MISS: ALMOST, PAYLOAD_HIT: 'a'.repeat(41) },
  include: [{ local: `ci/${'**a'.repeat(12)}**b.yml` }],
  'if-miss': job({ rules: [{ if: `$PAYLOAD_MISS =~ ${EVIL_REGEX}` }] }),
  'if-hit': job({ rules: [{ if: `$PAYLOAD_HIT =~ ${EVIL_REGEX}` }] }),
  'if-non-capturing-group': job({ rules: [{ if: '$PAYLOAD_HIT =~ /^(?:a|aa)+$/' }] }),
  'changes-miss': job({ rules: [{ changes: [EVIL_GLOB] }] }),
  'changes-hit': job({ rules: [{ changes: [`${'*a'.repeat(13)}*`] }] }),
  'exists-miss': job({ rules: [{ exists: [`files/${EVIL_GLOB}`] }] }),
  'exists-hit': job({ rules: [{ exists: [`files/${'*a'.repeat(13)}*`] }] }),
  'only-miss': job({ only: [EVIL_REGEX] }),
  'except-hit': job({ except: [EVIL_REGEX] }),
};

async function composeProject(files: Record<string, string>, branch: string, changed: string) {
  const root = await writeTree(files);
  const result = await runRealCli(
    ['compose', '--workspace', root, '--project', 'acme/web', '--branch', branch, '--source', 'push', '--changed', changed, '--out', join(root, 'pipeline.yml'), '--report', join(root, 'report.json'), '--allow-no-policies'],
    { cwd: root },
  );
  return { result, root };
}

describe('patterns that backtrack exponentially decide as GitLab decides', () => {
  it('rules:if and only/except regexes, rules:changes and rules:exists globs, include:local wildcards', async () => {
    const { result, root } = await composeProject(
      { 'acme/web/.gitlab-ci.yml': stringify(ciFile), [`acme/web/files/${LONG_NAME}`]: 'x\n', [`acme/web/ci/${'a'.repeat(60)}.yml`]: stringify({ 'included-job': job({}) }) },
      ALMOST,
      LONG_NAME,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as { jobs: { name: string }[] };
    expect(report.jobs.map((entry) => entry.name).sort()).toEqual(['changes-hit', 'except-hit', 'exists-hit', 'if-hit', 'if-non-capturing-group']);
  });

  it('a spec:inputs regex of an included file: the value is refused by the pattern, not by a timeout', async () => {
    const template = `${stringify({ spec: { inputs: { name: { regex: '^(a+)+$' } } } })}---\n${stringify({ 'from-template': job({ script: ['echo $[[ inputs.name ]]'] }) })}`;
    const { result } = await composeProject(
      { 'acme/web/.gitlab-ci.yml': stringify({ include: [{ local: 'template.yml', inputs: { name: ALMOST } }] }), 'acme/web/template.yml': template },
      'main',
      'README.md',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('provided value does not match required RegEx pattern');
  });
});
