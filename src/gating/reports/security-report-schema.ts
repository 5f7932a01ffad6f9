/**
 * Our JSON Schema for GitLab security reports, one per report family, following the structure
 * of GitLab's security-report-schemas 15.x (dist/<type>-report-format.json, vendored in GitLab at
 * lib/gitlab/ci/parsers/security/validators/schemas/15.0.x/): the same required keys, enums and
 * limits where they matter to us, written by hand and smaller. Since 15.0 GitLab refuses a report
 * that fails its schema, so these are errors here too. `details`, `evidence` and `assets` are
 * only checked to be objects/arrays: we do not read them. `tracking` is checked as far as its
 * signatures go, which decide a finding's identity (tracking-signatures.ts).
 */
import type { SecurityReportType } from './recognise-report.js';

const text = { type: 'string' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const url = { type: 'string', pattern: '^(https?|ftp)://.+' } as const;
const time = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' } as const;

/** Report severities exactly as the schema spells them (GitLab lower-cases them after validation). */
export const REPORT_SEVERITIES = ['Info', 'Unknown', 'Low', 'Medium', 'High', 'Critical'] as const;

const identifier = {
  type: 'object',
  required: ['type', 'name', 'value'],
  properties: { type: nonEmpty, name: nonEmpty, value: nonEmpty, url },
} as const;

const tool = {
  type: 'object',
  required: ['id', 'name', 'version', 'vendor'],
  properties: {
    id: nonEmpty,
    name: nonEmpty,
    version: nonEmpty,
    url: text,
    vendor: { type: 'object', required: ['name'], properties: { name: nonEmpty } },
  },
} as const;

const dependency = {
  type: 'object',
  required: ['package', 'version'],
  properties: {
    package: { type: 'object', required: ['name'], properties: { name: text } },
    version: text,
    iid: { type: 'number' },
    direct: { type: 'boolean' },
    dependency_path: { type: 'array', items: { type: 'object', required: ['iid'], properties: { iid: { type: 'number' } } } },
  },
} as const;

// Signatures need an algorithm and a value; which algorithms count is decided when reading them.
const tracking = {
  type: 'object',
  properties: {
    type: text,
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          signatures: { type: 'array', items: { type: 'object', required: ['algorithm', 'value'], properties: { algorithm: text, value: text } } },
        },
      },
    },
  },
} as const;

const fileLines = { file: text, start_line: { type: 'number' }, end_line: { type: 'number' }, class: text, method: text } as const;

/** `location` per report type: its own shape and its own fingerprint (see finding-identity.ts). */
const LOCATIONS: Record<SecurityReportType, object> = {
  sast: { type: 'object', properties: fileLines },
  secret_detection: {
    type: 'object',
    required: ['commit'],
    properties: { ...fileLines, commit: { type: 'object', required: ['sha'], properties: { sha: nonEmpty, author: text, date: text, message: text } } },
  },
  dependency_scanning: { type: 'object', required: ['file', 'dependency'], properties: { file: nonEmpty, dependency } },
  container_scanning: {
    type: 'object',
    required: ['dependency', 'operating_system', 'image'],
    properties: { dependency, operating_system: nonEmpty, image: nonEmpty, default_branch_image: { type: 'string', maxLength: 255 } },
  },
  dast: { type: 'object', properties: { hostname: text, method: text, param: text, path: text } },
  api_fuzzing: { type: 'object', properties: { hostname: text, method: text, param: text, path: text } },
  coverage_fuzzing: { type: 'object', properties: { crash_address: text, crash_type: text, crash_state: text, stacktrace_snippet: text } },
};

/** `scan.type` values each family's schema allows (DAST's schema also serves API fuzzing). */
const SCAN_TYPES: Record<SecurityReportType, readonly string[]> = {
  sast: ['sast'],
  secret_detection: ['secret_detection'],
  dependency_scanning: ['dependency_scanning'],
  container_scanning: ['container_scanning'],
  dast: ['dast', 'api_fuzzing'],
  api_fuzzing: ['dast', 'api_fuzzing'],
  coverage_fuzzing: ['coverage_fuzzing'],
};

function vulnerability(reportType: SecurityReportType): object {
  return {
    type: 'object',
    required: ['id', 'identifiers', 'location'],
    properties: {
      id: nonEmpty,
      name: { type: 'string', maxLength: 255 },
      description: { type: 'string', maxLength: 1048576 },
      severity: { type: 'string', enum: REPORT_SEVERITIES },
      solution: { type: 'string', maxLength: 7000 },
      identifiers: { type: 'array', minItems: 1, items: identifier },
      links: { type: 'array', items: { type: 'object', required: ['url'], properties: { name: text, url } } },
      details: { type: 'object' },
      tracking,
      flags: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'origin', 'description'],
          properties: { type: { type: 'string', enum: ['flagged-as-likely-false-positive'] }, origin: nonEmpty, description: nonEmpty },
        },
      },
      location: LOCATIONS[reportType],
    },
  };
}

const remediation = {
  type: 'object',
  required: ['fixes', 'summary', 'diff'],
  properties: {
    fixes: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: nonEmpty } } },
    summary: nonEmpty,
    diff: nonEmpty,
  },
} as const;

const dependencyFile = {
  type: 'object',
  required: ['path', 'package_manager', 'dependencies'],
  properties: { path: nonEmpty, package_manager: nonEmpty, dependencies: { type: 'array', items: dependency } },
} as const;

export function securityReportSchema(reportType: SecurityReportType): object {
  const schema = {
    type: 'object',
    required: ['scan', 'version', 'vulnerabilities'],
    properties: {
      version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$' },
      schema: { type: 'string', pattern: '^https?://.+' },
      scan: {
        type: 'object',
        required: ['analyzer', 'end_time', 'scanner', 'start_time', 'status', 'type'],
        properties: {
          analyzer: tool,
          scanner: tool,
          start_time: time,
          end_time: time,
          status: { type: 'string', enum: ['success', 'failure'] },
          type: { type: 'string', enum: SCAN_TYPES[reportType] },
          messages: {
            type: 'array',
            items: { type: 'object', required: ['level', 'value'], properties: { level: { type: 'string', enum: ['info', 'warn', 'fatal'] }, value: nonEmpty } },
          },
          primary_identifiers: { type: 'array', items: identifier },
        },
      },
      vulnerabilities: { type: 'array', items: vulnerability(reportType) },
      remediations: { type: 'array', items: remediation },
    },
  };
  if (reportType !== 'dependency_scanning') return schema;
  // dependency_files is required by the 15.0.x DS schema; later 15.x minors made it optional
  // (security-report-schemas CHANGELOG; unverified for every minor).
  return {
    ...schema,
    properties: { ...schema.properties, dependency_files: { type: 'array', items: dependencyFile } },
    if: { properties: { version: { pattern: '^15\\.0\\.' } } },
    then: { required: ['dependency_files'] },
  };
}
