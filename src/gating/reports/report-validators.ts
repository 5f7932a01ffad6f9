/**
 * The report schema validators, compiled at run time on first use. This is what runs from the
 * sources (tests, tsx); `npm run build` replaces this module in dist/ by one with the same exports
 * that loads code ajv generated at build time (src/build/compile-validators.ts), so `evaluate`
 * neither loads ajv's compiler nor compiles schemas in every pipeline. Keep the exports in line
 * with the entry of STANDALONE_MODULES that generates them.
 */
import type { ValidateFunction } from 'ajv';
import { compileReportValidator, type ReportValidatorMode } from './report-ajv.js';
import type { SecurityReportType } from './recognise-report.js';
import type { CycloneDxDocument, SecurityReportDocument } from './report-document.js';

// Caches of pure functions of constant schemas: nothing ever resets or changes them.
const compiled = new Map<`${SecurityReportType | 'cyclonedx'}.${ReportValidatorMode}`, ValidateFunction>();

function validatorFor(schema: SecurityReportType | 'cyclonedx', mode: ReportValidatorMode = 'exact'): ValidateFunction {
  let validate = compiled.get(`${schema}.${mode}`);
  if (validate === undefined) {
    validate = compileReportValidator(schema, {}, mode).validate;
    compiled.set(`${schema}.${mode}`, validate);
  }
  return validate;
}

// Each schema describes its document type (security-report-schema.ts, cyclonedx-schema.ts).
export function securityReportValidator(type: SecurityReportType): ValidateFunction<SecurityReportDocument> {
  return validatorFor(type) as ValidateFunction<SecurityReportDocument>;
}

export function cycloneDxValidator(): ValidateFunction<CycloneDxDocument> {
  return validatorFor('cyclonedx') as ValidateFunction<CycloneDxDocument>;
}

/** Yes or no only, and a yes implies the exact validator's (report-ajv.ts, ReportValidatorMode). */
export function securityReportPrecheck(type: SecurityReportType): ValidateFunction<SecurityReportDocument> {
  return validatorFor(type, 'precheck') as ValidateFunction<SecurityReportDocument>;
}

export function cycloneDxPrecheck(): ValidateFunction<CycloneDxDocument> {
  return validatorFor('cyclonedx', 'precheck') as ValidateFunction<CycloneDxDocument>;
}
