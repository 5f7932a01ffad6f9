/**
 * The report schema validators, compiled at run time on first use. This is what runs from the
 * sources (tests, tsx); `npm run build` replaces this module in dist/ by one with the same exports
 * that loads code ajv generated at build time (src/build/compile-validators.ts), so `evaluate`
 * neither loads ajv's compiler nor compiles schemas in every pipeline. Keep the exports in line
 * with the entry of STANDALONE_MODULES that generates them.
 */
import type { ValidateFunction } from 'ajv';
import { compileReportValidator } from './report-ajv.js';
import type { SecurityReportType } from './recognise-report.js';
import type { CycloneDxDocument, SecurityReportDocument } from './report-document.js';

// Caches of pure functions of constant schemas: nothing ever resets or changes them.
const compiled = new Map<SecurityReportType | 'cyclonedx', ValidateFunction>();

function validatorFor(schema: SecurityReportType | 'cyclonedx'): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = compileReportValidator(schema).validate;
    compiled.set(schema, validate);
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
