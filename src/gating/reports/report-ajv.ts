/**
 * How the report schemas are compiled, in one place for both ways of compiling them: at run
 * time from the sources (report-validators.ts, what tests run) and at build time into standalone
 * code (src/build/compile-validators.ts, what dist/ ships), so both validate alike.
 */
import { Ajv, type AnySchemaObject, type CodeOptions, type ValidateFunction } from 'ajv';
import { cycloneDxSchema } from './cyclonedx-schema.js';
import type { SecurityReportType } from './recognise-report.js';
import { securityReportSchema } from './security-report-schema.js';

// A record, so a new SecurityReportType without an entry is a type error.
const WITH_SCHEMA: Readonly<Record<SecurityReportType, true>> = {
  sast: true,
  secret_detection: true,
  dependency_scanning: true,
  container_scanning: true,
  dast: true,
  api_fuzzing: true,
  coverage_fuzzing: true,
};

/** Every security report type (each has a schema); the build generates one validator per type. */
export const SECURITY_REPORT_TYPES_WITH_SCHEMA = Object.keys(WITH_SCHEMA) as SecurityReportType[];

export function compileReportValidator(schema: SecurityReportType | 'cyclonedx', code: CodeOptions = {}): { readonly ajv: Ajv; readonly validate: ValidateFunction } {
  const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false, strictRequired: false, code });
  ajv.addKeyword('errorMessage'); // read from parentSchema when an anyOf fails
  // Our own schema object literals; ajv's type for a schema is an open record.
  const object = schema === 'cyclonedx' ? cycloneDxSchema : securityReportSchema(schema);
  return { ajv, validate: ajv.compile(object as AnySchemaObject) };
}
