/**
 * Checks a parsed report against its family's schema where it enters, and turns the first
 * problem into a `report-invalid` ConfigError naming the file and the JSON path:
 * `gl-sast-report.json: $.vulnerabilities[3].severity must be one of Info, Unknown, ...`.
 * Validation stops at the first schema problem: a report GitLab would refuse is refused whole,
 * so one reason is enough, and a 10,000-finding report is not walked twice. Before the schema,
 * a file that is not a security report at all says so, naming every top-level key it lacks.
 */
import type { ErrorObject } from 'ajv';
import { ConfigError } from '../../errors.js';
import type { SecurityReportType } from './recognise-report.js';
import type { CycloneDxDocument, SecurityReportDocument } from './report-document.js';
import { cycloneDxPrecheck, cycloneDxValidator, securityReportPrecheck, securityReportValidator } from './report-validators.js';

/** GitLab 17–18 ingests schema versions 15.x only (§3.2); other majors are refused, not read. */
const SUPPORTED_MAJOR = '15';

export function validateSecurityReport(data: unknown, reportType: SecurityReportType, file: string): SecurityReportDocument {
  const shape = describeWrongShape(data);
  if (shape !== undefined) throw invalid(file, shape);
  const version = typeof data === 'object' && data !== null ? (data as { version?: unknown }).version : undefined;
  if (typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version) && version.split('.')[0] !== SUPPORTED_MAJOR) {
    throw invalid(file, `$.version ${version} is not a supported schema version: GitLab reads ${SUPPORTED_MAJOR}.x reports only`);
  }
  // The precheck's yes is the exact validator's (report-ajv.ts); only a no is checked again, for
  // the verdict and the message. Reports that pass never load the exact validator's code.
  if (securityReportPrecheck(reportType)(data)) return data;
  const validate = securityReportValidator(reportType);
  if (validate(data)) return data;
  throw invalid(file, describeFirstError(validate.errors ?? []));
}

/**
 * GitLab ingests CycloneDX spec versions 1.4 to 1.6 only (1.6 added by gitlab-org/gitlab#472837;
 * earlier and later versions fail its schema validation and the SBOM is not read).
 */
export const CYCLONEDX_SPEC_VERSIONS: readonly string[] = ['1.4', '1.5', '1.6'];

export function validateCycloneDx(data: unknown, file: string): CycloneDxDocument {
  if (!cycloneDxPrecheck()(data)) {
    const validate = cycloneDxValidator();
    if (!validate(data)) throw invalid(file, describeFirstError(validate.errors ?? []));
  }
  if (!CYCLONEDX_SPEC_VERSIONS.includes(data.specVersion)) {
    throw invalid(file, `$.specVersion ${JSON.stringify(data.specVersion)} is not a supported CycloneDX version: GitLab reads ${CYCLONEDX_SPEC_VERSIONS.join(', ')} only`);
  }
  return data;
}

/** The top-level keys every security report has (security-report-schemas 15.x, all types). */
const REPORT_KEYS = ['version', 'scan', 'vulnerabilities'] as const;

/**
 * A file that is not a GitLab security report at all is named as such first, with every
 * top-level key it lacks, and the format it looks like when we recognise one: a Trivy JSON file
 * lacks `version` and `scan`, and saying that beats reporting the first schema rule it breaks.
 */
function describeWrongShape(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `$ must be an object: this is not a GitLab security report${Array.isArray(data) ? ' (it is a JSON array)' : ''}`;
  }
  const record = data as Record<string, unknown>; // checked just above: a plain object
  const missing = REPORT_KEYS.filter((key) => !(key in record));
  if (missing.length === 0) return undefined;
  const keys = missing.map((key) => `$.${key}`);
  const list = keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''}`;
  const lookalike = foreignFormatOf(record);
  const verb = missing.length === 1 ? 'is' : 'are';
  // One key missing is a broken report; more, or a known foreign format, is not one at all.
  if (missing.length === 1 && lookalike === undefined) return `${list} ${verb} required`;
  return `${list} ${verb} required: this is not a GitLab security report${lookalike === undefined ? '' : ` (it looks like ${lookalike})`}`;
}

function foreignFormatOf(record: Record<string, unknown>): string | undefined {
  if ('SchemaVersion' in record && ('Results' in record || 'ArtifactName' in record)) {
    return "Trivy's own JSON format; have Trivy write GitLab's format with its GitLab template: --format template --template @contrib/gitlab.tpl";
  }
  if ('runs' in record && typeof record['$schema'] === 'string' && record['$schema'].toLowerCase().includes('sarif')) return 'a SARIF file';
  if (record['bomFormat'] === 'CycloneDX') return 'a CycloneDX SBOM; name it gl-sbom-*.cdx.json';
  return undefined;
}

function invalid(file: string, problem: string): ConfigError {
  return new ConfigError('report-invalid', `${file}: ${problem}`, {
    location: { file },
    hint: 'GitLab refuses security reports that fail their schema (security-report-schemas 15.x); fix or update the scanner that wrote this file.',
  });
}

/** `$.vulnerabilities[3].severity must be one of ...`; `if` errors only repeat their `then`. */
export function describeFirstError(errors: readonly ErrorObject[]): string {
  const relevant = errors.filter((error) => error.keyword !== 'if');
  const error = relevant.find((candidate) => candidate.keyword === 'anyOf') ?? relevant[0];
  if (error === undefined) return '$ is invalid';
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path}${pathSegment(String(params['missingProperty']))} is required`;
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      return allowed.length === 1 ? `${path} must be ${allowed[0] ?? ''}` : `${path} must be one of ${allowed.join(', ')}`;
    }
    case 'const':
      return `${path} must be ${JSON.stringify(params['allowedValue'])}`;
    case 'type':
      return `${path} must be ${article(String(params['type']))}`;
    case 'minItems':
      return `${path} must have at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`;
    case 'minLength':
      return params['limit'] === 1 ? `${path} must not be empty` : `${path} must be at least ${String(params['limit'])} characters long`;
    case 'maxLength':
      return `${path} must be at most ${String(params['limit'])} characters long`;
    case 'pattern':
      return `${path} must match ${String(params['pattern'])}`;
    case 'anyOf': {
      const parent = error.parentSchema as { errorMessage?: unknown } | undefined;
      return `${path} ${typeof parent?.errorMessage === 'string' ? parent.errorMessage : 'does not match any allowed shape'}`;
    }
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/** JSON pointer → `$.a[0].b`, quoting keys that are not plain identifiers. */
export function jsonPath(pointer: string): string {
  if (pointer === '') return '$';
  const segments = pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return `$${segments.map(pathSegment).join('')}`;
}

function pathSegment(segment: string): string {
  if (/^\d+$/.test(segment)) return `[${segment}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return `.${segment}`;
  return `[${JSON.stringify(segment)}]`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
