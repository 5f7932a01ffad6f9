/**
 * `validateSecurityReport` and `validateCycloneDx` run a precheck validator first (report-ajv.ts:
 * string lengths in UTF-16 units, no error details) and the exact one only when it refuses. Same
 * verdicts and messages as the exact validator alone needs two things, both pinned here: the
 * schemas bound strings only by `minLength: 1` and `maxLength`, and on strings at and around
 * those bounds (ASCII, accented, astral characters, lone surrogates) a precheck yes is an exact
 * yes, and the validating functions give what the exact validator alone gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { cycloneDxSchema } from '../../../src/gating/reports/cyclonedx-schema.js';
import { SECURITY_REPORT_TYPES_WITH_SCHEMA } from '../../../src/gating/reports/report-ajv.js';
import { cycloneDxPrecheck, cycloneDxValidator, securityReportPrecheck, securityReportValidator } from '../../../src/gating/reports/report-validators.js';
import { securityReportSchema } from '../../../src/gating/reports/security-report-schema.js';
import { describeFirstError, validateCycloneDx, validateSecurityReport } from '../../../src/gating/reports/validate-report.js';

const fixtures = join(import.meta.dirname, '../../fixtures/reports');
const sast = JSON.parse(readFileSync(join(fixtures, 'sast-semgrep/gl-sast-report.json'), 'utf8')) as { vulnerabilities: Record<string, unknown>[] };
const sbom = JSON.parse(readFileSync(join(fixtures, 'sbom-cyclonedx-licenses/reports/gl-sbom-npm-npm.cdx.json'), 'utf8')) as {
  components: { licenses?: unknown[] }[];
};

/** Every value of `key` anywhere in a schema. */
function valuesOf(schema: unknown, key: string): unknown[] {
  if (typeof schema !== 'object' || schema === null) return [];
  return Object.entries(schema).flatMap(([name, value]) => [...(name === key ? [value] : []), ...valuesOf(value, key)]);
}

/** What the exact validator alone says: the document back, or the message of the error. */
function exactOutcome(validate: ValidateFunction, data: unknown): string {
  return validate(data) ? 'valid' : `file.json: ${describeFirstError(validate.errors ?? [])}`;
}

function outcomeOf(run: () => unknown): string {
  try {
    run();
    return 'valid';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

/** Strings whose UTF-16 length and code-point count differ in every way that matters at a bound. */
function stringsAround(bound: number): fc.Arbitrary<string> {
  const unit = fc.constantFrom('a', 'é', '\u{1F600}', '\u{10FFFF}', '\uD800', '\uDC00', '字');
  return fc
    .tuple(fc.integer({ min: Math.max(0, Math.floor(bound / 2) - 2), max: bound + 2 }), fc.array(unit, { minLength: 0, maxLength: 6 }), fc.nat(bound + 2))
    .map(([asciiCount, tricky, at]) => {
      const ascii = 'x'.repeat(asciiCount);
      const cut = Math.min(at, ascii.length);
      return `${ascii.slice(0, cut)}${tricky.join('')}${ascii.slice(cut)}`;
    });
}

describe('report precheck validators', () => {
  it('rest on the schemas bounding strings only by minLength 1 and maxLength', () => {
    const schemas = [...SECURITY_REPORT_TYPES_WITH_SCHEMA.map((type) => securityReportSchema(type)), cycloneDxSchema];
    for (const schema of schemas) {
      expect(new Set(valuesOf(schema, 'minLength'))).toEqual(new Set([1]));
      for (const limit of valuesOf(schema, 'maxLength')) expect(typeof limit).toBe('number');
      expect(valuesOf(schema, '$data')).toEqual([]);
    }
  });

  it('refuse a name of 200 astral characters that the exact validator accepts, and the report is still read', () => {
    const name = '\u{1F600}'.repeat(200); // 400 UTF-16 units, 200 code points: maxLength 255
    const report = { ...sast, vulnerabilities: [{ ...sast.vulnerabilities[0], name }] };
    expect(securityReportPrecheck('sast')(report)).toBe(false);
    expect(securityReportValidator('sast')(report)).toBe(true);
    expect(validateSecurityReport(report, 'sast', 'file.json')).toBe(report);
    const tooLong = { ...sast, vulnerabilities: [{ ...sast.vulnerabilities[0], name: '\u{1F600}'.repeat(256) }] };
    expect(outcomeOf(() => validateSecurityReport(tooLong, 'sast', 'file.json'))).toBe('file.json: $.vulnerabilities[0].name must be at most 255 characters long');
  });

  const fields: [field: string, bound: number][] = [
    ['id', 1],
    ['name', 255],
    ['solution', 7000],
  ];
  for (const [field, bound] of fields) {
    it(`security reports: ${field} around ${bound}: a precheck yes is an exact yes, and the verdict and message are the exact validator's`, () => {
      fc.assert(
        fc.property(stringsAround(bound), fc.constantFrom(...SECURITY_REPORT_TYPES_WITH_SCHEMA.filter((type) => type === 'sast' || type === 'secret_detection')), (value, type) => {
          const report = { ...sast, scan: { ...(sast as unknown as { scan: object }).scan, type }, vulnerabilities: [{ ...sast.vulnerabilities[0], [field]: value }] };
          const exact = securityReportValidator(type);
          if (securityReportPrecheck(type)(report)) expect(exact(report)).toBe(true);
          // Without surrogates both count the same, so they agree both ways.
          if (!/[\uD800-\uDFFF]/.test(value)) expect(securityReportPrecheck(type)(report)).toBe(exact(report));
          expect(outcomeOf(() => validateSecurityReport(report, type, 'file.json'))).toBe(exactOutcome(exact, report));
        }),
        { numRuns: bound > 1000 ? 60 : 300 },
      );
    });
  }

  it('SBOMs: licence ids, names and expressions around minLength 1 get the exact validator\'s verdict and message', () => {
    fc.assert(
      fc.property(stringsAround(1), fc.constantFrom<(value: string) => unknown>((id) => ({ license: { id } }), (name) => ({ license: { name } }), (expression) => ({ expression })), (value, licence) => {
        const document = { ...sbom, components: [{ ...sbom.components[0], licenses: [licence(value)] }] };
        const exact = cycloneDxValidator();
        const precheck = cycloneDxPrecheck()(document);
        if (precheck) expect(exact(document)).toBe(true);
        expect(precheck).toBe(exact(document)); // minLength 1: UTF-16 length 0 exactly when no code points
        const expected = exact(document) ? 'valid' : exactOutcome(exact, document);
        expect(outcomeOf(() => validateCycloneDx(document, 'file.json'))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
