/**
 * docs/threat-model.md is a contract: every prevented or detected guarantee names at least one attack test as
 * `test/attacks/<file>.test.ts › <test name>` (or another test file under test/), and every
 * name must exist in that file, so the document cannot promise what nothing tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './real-cli.js';

interface GuaranteeRow {
  readonly id: string;
  readonly status: string;
  readonly tests: readonly { file: string; name: string }[];
}

const STATUSES = new Set(['prevented', 'detected', 'out of scope', 'open']);

function readGuarantees(): GuaranteeRow[] {
  const text = readFileSync(join(repoRoot, 'docs/threat-model.md'), 'utf8');
  const rows: GuaranteeRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | G1 | guarantee | actor | status | mechanism | tests |
    const id = cells[1] ?? '';
    if (!/^G\d+$/.test(id)) continue;
    const testsCell = cells[6] ?? '';
    const tests = [...testsCell.matchAll(/`(test\/[^`]+\.test\.ts) › ([^`]+)`/g)].map((match) => ({ file: match[1] ?? '', name: match[2] ?? '' }));
    rows.push({ id, status: (cells[4] ?? '').replace(/\*/g, '').toLowerCase(), tests });
  }
  return rows;
}

/** Test names are written as string literals; compare without escapes and quote styles. */
function normalise(text: string): string {
  return text.replace(/\\(['"`])/g, '$1').replace(/\s+/g, ' ');
}

describe('docs/threat-model.md', () => {
  const rows = readGuarantees();

  it('lists guarantees with ids, a known status and at least one attack test each', () => {
    expect(rows.length).toBeGreaterThan(20);
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
    for (const row of rows) {
      expect(STATUSES.has(row.status), `${row.id}: status "${row.status}"`).toBe(true);
      if (row.status === 'prevented' || row.status === 'detected') expect(row.tests.length, `${row.id} names no test`).toBeGreaterThan(0);
    }
  });

  it('names only tests that exist', () => {
    for (const row of rows) {
      for (const test of row.tests) {
        const path = join(repoRoot, test.file);
        expect(existsSync(path), `${row.id}: ${test.file} does not exist`).toBe(true);
        expect(normalise(readFileSync(path, 'utf8')), `${row.id}: no test named "${test.name}" in ${test.file}`).toContain(normalise(test.name));
      }
    }
  });
});
