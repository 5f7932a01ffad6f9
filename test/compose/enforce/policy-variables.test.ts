/**
 * The variable lines, checked by what a shell makes of them: each case runs the lines in dash
 * (`sh`, POSIX like alpine's ash) and in bash, with an environment standing in for the runner's
 * (user variables already set, as they would win over YAML), and reads the result back.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { VariableMap } from '../../../src/ci/expand/index.js';
import { policyVariableLines } from '../../../src/compose/enforce/policy-variables.js';
import { splitVariableValue, variableWord } from '../../../src/compose/enforce/shell-words.js';
import type { VariablesOverride } from '../../../src/policies/types.js';

const SHELLS = ['sh', 'bash'] as const;

/** Runs `lines` then prints each name as `NAME=<value>` or `NAME unset`, NUL-separated. */
function runLines(shell: string, lines: readonly string[], names: readonly string[], env: Record<string, string>): Record<string, string | null> {
  const report = names.map((name) => `if [ -n "\${${name}+x}" ]; then printf '%s=%s\\0' ${name} "$${name}"; else printf '%s unset\\0' ${name}; fi`);
  const output = execFileSync(shell, ['-c', [...lines, ...report].join('\n')], { env: { PATH: process.env.PATH ?? '', ...env } }).toString();
  const result: Record<string, string | null> = {};
  for (const entry of output.split('\0').filter((item) => item !== '')) {
    const equals = entry.indexOf('=');
    if (entry.endsWith(' unset') && (equals === -1 || equals > entry.indexOf(' '))) result[entry.slice(0, -' unset'.length)] = null;
    else result[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return result;
}

function vars(entries: Record<string, string | { value: string; expand: boolean }>): VariableMap {
  return Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, typeof value === 'string' ? { value, expand: true } : value]));
}

function linesFor(variables: VariableMap, override: VariablesOverride | undefined, userVariableNames: readonly string[]): string[] {
  return policyVariableLines({ variables, variablesOverride: override, userVariableNames });
}

describe('splitVariableValue (GitLab Runner expansion)', () => {
  it.each([
    ['plain', [{ text: 'plain' }]],
    ['a$B-c', [{ text: 'a' }, { reference: 'B' }, { text: '-c' }]],
    ['${B}x', [{ reference: 'B' }, { text: 'x' }]],
    ['$$B', [{ text: '$B' }]],
    ['$1 $* $', [{ text: '$1 $* $' }]],
    ['a${', [{ text: 'a' }]],
    ['a${}b', [{ text: 'ab' }]],
    ['$/x', [{ text: '$/x' }]],
  ])('%s', (value, pieces) => {
    expect(splitVariableValue(value)).toEqual(pieces);
  });
});

describe('variableWord', () => {
  it('quotes literal text and leaves other references to the shell', () => {
    expect(variableWord("it's $HOME", true, () => undefined)).toBe(`'it'\\''s '"\${HOME}"`);
  });
  it('uses the fixed value of a re-established variable, in one pass like the runner', () => {
    expect(variableWord('$A/$B', true, (name) => (name === 'A' ? '$C' : undefined))).toBe(`'$C/'"\${B}"`);
  });
  it('writes expand: false values literally', () => {
    expect(variableWord('$A $$', false, () => 'x')).toBe(`'$A $$'`);
  });
});

describe.each(SHELLS)('policy variable lines in %s', (shell) => {
  const tricky = vars({
    ENFORCED: 'policy value',
    QUOTED: `it's "quoted" \`not run\` $(not run) \\n`,
    MULTI: 'line one\nline two',
    RAW: { value: '$HOME and $$', expand: false },
    URL: 'https://${HOST}/$ENFORCED/$$',
    EMPTY: '',
  });

  it('re-establishes every YAML value over user values (no variables_override)', () => {
    const env = { ENFORCED: 'evil', QUOTED: 'evil', RAW: 'evil', URL: 'evil', EMPTY: 'evil', HOST: 'example.com', OTHER: 'kept' };
    const result = runLines(shell, linesFor(tricky, undefined, Object.keys(env)), [...Object.keys(tricky), 'OTHER'], env);
    expect(result).toEqual({
      ENFORCED: 'policy value',
      QUOTED: `it's "quoted" \`not run\` $(not run) \\n`,
      MULTI: 'line one\nline two',
      RAW: '$HOME and $$',
      URL: 'https://example.com/policy value/$',
      EMPTY: '',
      OTHER: 'kept',
    });
  });

  it('allowlist: only exceptions pass; forbidden user variables are gone (behaviour 34)', () => {
    const env = { CS_IMAGE: 'myimg', SAST_DISABLED: 'true', CS_SEVERITY: 'low' };
    const lines = linesFor(vars({ CS_IMAGE: 'alpine:latest', CS_SEVERITY: 'high' }), { allowed: false, exceptions: ['CS_IMAGE'] }, Object.keys(env));
    expect(runLines(shell, lines, ['CS_IMAGE', 'SAST_DISABLED', 'CS_SEVERITY'], env)).toEqual({
      CS_IMAGE: 'myimg',
      SAST_DISABLED: null,
      CS_SEVERITY: 'high',
    });
  });

  it('allowlist: an exception without a user value keeps the YAML value the runner set', () => {
    const lines = linesFor(vars({ CS_IMAGE: 'alpine:latest' }), { allowed: false, exceptions: ['CS_IMAGE'] }, []);
    expect(lines).toEqual([]);
    expect(runLines(shell, lines, ['CS_IMAGE'], { CS_IMAGE: 'alpine:latest' })).toEqual({ CS_IMAGE: 'alpine:latest' });
  });

  it('denylist: user variables pass except the exceptions (behaviour 35)', () => {
    const env = { FOO: '1', SECRET_DETECTION_DISABLED: 'true', LEVEL: 'off' };
    const lines = linesFor(
      vars({ LEVEL: 'strict' }),
      { allowed: true, exceptions: ['SECRET_DETECTION_DISABLED', 'LEVEL'] },
      Object.keys(env),
    );
    expect(runLines(shell, lines, Object.keys(env), env)).toEqual({ FOO: '1', SECRET_DETECTION_DISABLED: null, LEVEL: 'strict' });
  });

  it('a reference to a dropped user variable expands to nothing, as after GitLab filters it', () => {
    const env = { TOKEN: 'leaked' };
    const lines = linesFor(vars({ HEADER: 'Bearer $TOKEN' }), { allowed: false, exceptions: [] }, ['TOKEN']);
    expect(runLines(shell, lines, ['HEADER', 'TOKEN'], env)).toEqual({ HEADER: 'Bearer ', TOKEN: null });
  });
});

describe('policyVariableLines', () => {
  it('never writes a user variable value, only names', () => {
    const lines = linesFor(vars({ A: 'yaml' }), { allowed: false, exceptions: [] }, ['B', 'A', 'B']);
    expect(lines).toEqual(['unset B', "export A='yaml'"]);
  });
  it('skips names a shell cannot assign', () => {
    expect(linesFor(vars({ 'MY-VAR': 'x', '1X': 'y' }), undefined, ['1X'])).toEqual([]);
  });
});
