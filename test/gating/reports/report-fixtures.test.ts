/**
 * One folder per behaviour under test/fixtures/reports/<case>/: every file in it except the
 * expectations is a report artifact handed to readReports under its path in the folder.
 * `options.json` (optional) holds ReadReportsOptions. A valid case has `expected.json` (the
 * ReportSet as JSON); an invalid one `expected-error.txt` (line 1: code and location, line 2:
 * the exact message; several invalid files are listed in one message). `UPDATE_GOLDENS=1`
 * rewrites both; review the diff.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatLocation } from '../../../src/errors.js';
import type { ReportSet } from '../../../src/gating/findings-model.js';
import { invalidReportsError, readReports, type ReadReportsOptions, type ReportFile } from '../../../src/gating/reports/index.js';

const fixtures = join(import.meta.dirname, '../../fixtures/reports');
const updateGoldens = process.env['UPDATE_GOLDENS'] === '1';
// README.md at a case's root says what the case shows and which GitLab source it follows.
const EXPECTATIONS = new Set(['expected.json', 'expected-error.txt', 'options.json', 'README.md']);

function readCaseFiles(dir: string): ReportFile[] {
  const files: ReportFile[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!(folder === dir && EXPECTATIONS.has(entry))) files.push({ name: relative(dir, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(dir);
  return files;
}

/** The ReportSet as plain JSON: the set of report types as a sorted list. */
function reportSetToJson(set: ReportSet): unknown {
  return { ...set, reportTypes: [...set.reportTypes].sort() };
}

function describeError(error: unknown): string {
  if (!(error instanceof ConfigError)) throw error;
  return `${error.code} ${formatLocation(error.location ?? { file: '?' })}\n${error.message}\n`;
}

describe('report fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const dir = join(fixtures, name);
      const optionsPath = join(dir, 'options.json');
      const options = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as ReadReportsOptions) : {};
      const errorPath = join(dir, 'expected-error.txt');
      const expectedPath = join(dir, 'expected.json');
      let actual: string;
      let isError = false;
      try {
        const set = readReports(readCaseFiles(dir), options);
        // Invalid files do not stop reading; a case with any shows them all, as one error.
        const invalid = invalidReportsError(set.invalid ?? []);
        if (invalid !== undefined) throw invalid;
        actual = `${JSON.stringify(reportSetToJson(set), null, 2)}\n`;
      } catch (error) {
        actual = describeError(error);
        isError = true;
      }
      const goldenPath = isError ? errorPath : expectedPath;
      if (updateGoldens) writeFileSync(goldenPath, actual);
      expect(existsSync(isError ? expectedPath : errorPath), 'a case expects either a result or an error').toBe(false);
      expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
    });
  }
});
