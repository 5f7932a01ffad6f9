/**
 * The shipped CLI validates policy files with code ajv generated at build time
 * (src/build/compile-validators.ts); tests run the runtime-compiled validators of the sources.
 * Both must say the same thing: every policy file of the fixtures and examples, and every JSON
 * fixture (security reports and SBOMs), valid or not, gets the same verdict and errors (paths,
 * keywords, params, parentSchema) from both, for every validator.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateStandaloneFiles, STANDALONE_MODULES } from '../../src/build/compile-validators.js';
import { SECURITY_REPORT_TYPES_WITH_SCHEMA } from '../../src/gating/reports/report-ajv.js';
import * as reportValidators from '../../src/gating/reports/report-validators.js';
import * as runtimeValidators from '../../src/policies/policy-validators.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function policyFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('security-policies/policy.yml') || path.endsWith('/policy.yml'))
    .map((path) => join(dir, path));
}

/** Parsed policy documents; files that are not YAML (syntax-error fixtures) never reach the schema. */
const documents = [...policyFiles(join(repoRoot, 'test/fixtures')), ...policyFiles(join(repoRoot, 'examples'))].flatMap((file) => {
  try {
    return [{ name: relative(repoRoot, file), data: parse(readFileSync(file, 'utf8'), { logLevel: 'error' }) as unknown }];
  } catch {
    return [];
  }
});

const reports = readdirSync(join(repoRoot, 'test/fixtures'), { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.json'))
  .flatMap((path) => {
    try {
      return [{ name: path, data: JSON.parse(readFileSync(join(repoRoot, 'test/fixtures', path), 'utf8')) as unknown }];
    } catch {
      return [];
    }
  });

let outDir = '';
const standalone = new Map<string, ValidateFunction>();

beforeAll(() => {
  // Inside a folder that sees our node_modules, as dist/ does: the code requires ajv's runtime helpers.
  outDir = mkdtempSync(join(tmpdir(), 'standalone-validators-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  const require = createRequire(join(outDir, 'package.json'));
  for (const spec of STANDALONE_MODULES) {
    for (const [path, text] of generateStandaloneFiles(spec)) {
      mkdirSync(dirname(join(outDir, path)), { recursive: true });
      writeFileSync(join(outDir, path), text);
      // `<module>.<export>[.<key>].cjs`: the validator's name is what follows the module's.
      const name = /\.([A-Za-z_.]+)\.cjs$/.exec(path.slice(spec.module.length - '.js'.length))?.[1];
      if (name !== undefined) standalone.set(name, require(join(outDir, path)) as ValidateFunction);
    }
  }
}, 120_000);

afterAll(() => {
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

describe('validators compiled at build time', () => {
  it('replace every export of the runtime modules, and only those', () => {
    const reportNames = [
      ...SECURITY_REPORT_TYPES_WITH_SCHEMA.flatMap((type) => [`securityReportValidator.${type}`, `securityReportPrecheck.${type}`]),
      'cycloneDxValidator',
      'cycloneDxPrecheck',
    ];
    expect([...standalone.keys()].sort()).toEqual([...Object.keys(runtimeValidators), ...reportNames].sort());
    expect(Object.keys(reportValidators).sort()).toEqual(['cycloneDxPrecheck', 'cycloneDxValidator', 'securityReportPrecheck', 'securityReportValidator']);
  });

  it('read a fair sample of policy files, valid and invalid', () => {
    expect(documents.length).toBeGreaterThan(20);
    expect(documents.some(({ data }) => !runtimeValidators.exactPolicyValidator()(data))).toBe(true);
    expect(documents.some(({ data }) => runtimeValidators.exactPolicyValidator()(data))).toBe(true);
  });

  for (const name of ['exactPolicyValidator', 'closedPolicyValidator'] as const) {
    it(`${name}: the same verdict and errors as the runtime-compiled one on every policy file`, () => {
      const runtime = runtimeValidators[name]();
      const generated = standalone.get(name);
      if (generated === undefined) throw new Error(`${name} was not generated`);
      for (const { name: file, data } of documents) {
        const expected = runtime(data);
        const expectedErrors = runtime.errors ?? null;
        expect(generated(data), file).toBe(expected);
        expect(generated.errors ?? null, file).toEqual(expectedErrors);
      }
    });
  }

  const reportCases: [string, () => ValidateFunction][] = [
    ...SECURITY_REPORT_TYPES_WITH_SCHEMA.map((type): [string, () => ValidateFunction] => [`securityReportValidator.${type}`, () => reportValidators.securityReportValidator(type)]),
    ['cycloneDxValidator', () => reportValidators.cycloneDxValidator()],
    ...SECURITY_REPORT_TYPES_WITH_SCHEMA.map((type): [string, () => ValidateFunction] => [`securityReportPrecheck.${type}`, () => reportValidators.securityReportPrecheck(type)]),
    ['cycloneDxPrecheck', () => reportValidators.cycloneDxPrecheck()],
  ];
  for (const [name, runtimeOf] of reportCases) {
    it(`${name}: the same verdict and errors as the runtime-compiled one on every JSON fixture`, () => {
      expect(reports.length).toBeGreaterThan(50);
      const runtime = runtimeOf();
      const generated = standalone.get(name);
      if (generated === undefined) throw new Error(`${name} was not generated`);
      for (const { name: file, data } of reports) {
        const expected = runtime(data);
        const expectedErrors = runtime.errors ?? null;
        expect(generated(data), file).toBe(expected);
        expect(generated.errors ?? null, file).toEqual(expectedErrors);
        // A precheck's yes is the exact validator's (report-ajv.ts); test/gating/reports/report-precheck.test.ts probes the string bounds.
        if (name.includes('Precheck') && expected) expect(standalone.get(name.replace('Precheck', 'Validator'))?.(data), file).toBe(true);
      }
    });
  }
});
