/**
 * `compose --out -` writes the composed YAML to standard output, and nothing else goes there
 * (issue 12, B.6); before, it wrote a file named `-`. Fixture: test/fixtures/compose-out/<case>/ws.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runInProcess } from '../helpers/temp-workspace.js';

const fixture = join(import.meta.dirname, '../fixtures/compose-out/stdout-dash');

const compose = runInProcess;

describe('compose --out', () => {
  it('stdout-dash: `--out -` writes the YAML to standard output and creates no file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'compose-out-'));
    cpSync(fixture, cwd, { recursive: true });
    const base = ['compose', '--workspace', 'ws', '--project', 'acme/app', '--branch', 'main', '--source', 'push', '--allow-no-policies'];
    const dashed = await compose([...base, '--out', '-', '--summary'], cwd);
    expect(dashed.code, dashed.stderr).toBe(0);
    expect(existsSync(join(cwd, '-'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['ws']);
    // Only the YAML: it parses, and equals what the default (no --out) writes.
    const plain = await compose(base, cwd);
    expect(dashed.stdout).toBe(plain.stdout);
    expect(parse(dashed.stdout)).toHaveProperty('build');
    // The summary went to standard error, not into the YAML.
    expect(dashed.stderr).not.toBe('');
  });
});
