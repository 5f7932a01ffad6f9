/**
 * Our JSON Schema for the part of a CycloneDX JSON SBOM (spec 1.4–1.6) that licence rules read
 * (gitlab-approvals-status-checks.md §3.4): components, nested components, and each component's
 * `licenses` — a licence (`license.id` SPDX id or `license.name`) or an SPDX `expression`.
 * The rest of the BOM (metadata, dependencies, GitLab's `properties` taxonomy) passes unchecked.
 */
const text = { type: 'string' } as const;

const licenseChoice = {
  type: 'object',
  properties: {
    license: {
      type: 'object',
      properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
      anyOf: [{ required: ['id'] }, { required: ['name'] }],
      errorMessage: 'must have an id or a name',
    },
    expression: { type: 'string', minLength: 1 },
  },
  anyOf: [{ required: ['license'] }, { required: ['expression'] }],
  errorMessage: 'must have a license or an expression',
} as const;

export const cycloneDxSchema = {
  type: 'object',
  required: ['bomFormat', 'specVersion'],
  properties: {
    bomFormat: { const: 'CycloneDX' },
    specVersion: text,
    components: { type: 'array', items: { $ref: '#/definitions/component' } },
  },
  definitions: {
    component: {
      type: 'object',
      required: ['type', 'name'],
      properties: {
        type: text,
        name: text,
        version: text,
        purl: text,
        licenses: { type: 'array', items: licenseChoice },
        components: { type: 'array', items: { $ref: '#/definitions/component' } },
      },
    },
  },
} as const;
