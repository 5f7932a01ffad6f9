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

/**
 * ajv 8 warns that `unicode` is deprecated (it still honours it, and 8 is its last major): that
 * one warning is known and dropped; any other is passed on.
 */
const PRECHECK_LOGGER = {
  log: console.log,
  warn: (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].startsWith('DEPRECATED: option unicode.')) return;
    console.warn(...args);
  },
  error: console.error,
};

/**
 * `exact` is the validator whose errors describe a refused report. `precheck` runs first on every
 * report and only says yes or no: it measures strings in UTF-16 units (`.length`) instead of
 * counting code points (ajv's `ucs2length`, a third of the SAST report's validation time), and
 * keeps no error details. The schemas bound strings only by `minLength: 1` and `maxLength`; a
 * string's UTF-16 length is at least its code-point count and is 0 exactly when that count is, so
 * a report the precheck accepts is one the exact validator accepts. A report it refuses goes
 * through the exact validator, which has the last word and the message.
 */
export type ReportValidatorMode = 'exact' | 'precheck';

export function compileReportValidator(
  schema: SecurityReportType | 'cyclonedx',
  code: CodeOptions = {},
  mode: ReportValidatorMode = 'exact',
): { readonly ajv: Ajv; readonly validate: ValidateFunction } {
  const exact = mode === 'exact';
  const options = { allErrors: false, verbose: exact, messages: exact, strict: true, strictTypes: false, strictRequired: false, code };
  const ajv = new Ajv(exact ? options : { ...options, unicode: false, logger: PRECHECK_LOGGER });
  ajv.addKeyword('errorMessage'); // read from parentSchema when an anyOf fails
  // Our own schema object literals; ajv's type for a schema is an open record.
  const object = schema === 'cyclonedx' ? cycloneDxSchema : securityReportSchema(schema);
  return { ajv, validate: ajv.compile(object as AnySchemaObject) };
}
