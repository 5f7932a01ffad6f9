/**
 * Schema parts shared by several policy types: GitLab's `$defs` in
 * ee/app/validators/json_schemas/security_orchestration_policy.json (policy_scope, metadata,
 * pipeline_execution_content), plus the newer keys the docs describe (variables_override,
 * experiments) that the schema version we read lacks. Our own text; same keys as GitLab.
 *
 * `errorMessage` is an annotation (editors such as VS Code show it; our validator uses it for
 * anyOf/oneOf/not failures, which JSON Schema cannot explain well on its own). It sits on a node
 * holding nothing but that one combinator (see `explained`), so it explains nothing else.
 */

/** `{...combinator, errorMessage}`, for use inside `allOf` next to a node's other keywords. */
export function explained(errorMessage: string, combinator: object): object {
  return { ...combinator, errorMessage };
}

export const PIPELINE_CONFIG_STRATEGIES = ['inject_policy', 'inject_ci', 'override_project_ci'] as const;

export const policyName = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'Name of the policy (1 to 255 characters). Shown in job logs, errors and the report.',
};

export const policyDescription = { type: 'string', description: 'Longer description of the policy.' };

export const policyEnabled = {
  type: 'boolean',
  description: 'Whether the policy is enforced. A disabled policy has no effect anywhere.',
};

/** `{id: N}` items: GitLab does not require `id`; we do, so that an item without one cannot widen a scope. */
function idItem(what: string) {
  return {
    type: 'object',
    properties: { id: { type: 'integer', description: `ID of the ${what}.` } },
    required: ['id'],
  };
}

const excludedProject = {
  type: 'object',
  properties: {
    id: { type: 'integer', description: 'ID of the project.' },
    type: { type: 'string', enum: ['personal', 'archived'], description: 'Newer GitLab: exclude every personal or archived project.' },
  },
  allOf: [explained('needs an id, or type: personal or archived', { anyOf: [{ required: ['id'] }, { required: ['type'] }] })],
};

const including = (what: string) => ({
  type: 'array',
  description: `The policy applies only to these ${what}s.`,
  items: idItem(what),
});

const excluding = (what: string, items: object) => ({
  type: 'array',
  description: `The policy never applies to these ${what}s (exclusion wins).`,
  items,
});

export const sharedDefs = {
  policy_scope: {
    type: 'object',
    description:
      'Narrows the projects a policy applies to, within those its policy project is linked to. The dimensions present must all match (AND), unless match_mode is any.',
    properties: {
      compliance_frameworks: {
        type: 'array',
        description: 'The project must carry at least one of these compliance frameworks.',
        items: idItem('compliance framework'),
      },
      projects: {
        type: 'object',
        properties: { including: including('project'), excluding: excluding('project', excludedProject) },
      },
      groups: {
        type: 'object',
        description: 'Matched against the project\'s group and all its ancestors.',
        properties: { including: including('group'), excluding: excluding('group', idItem('group')) },
      },
      match_mode: {
        type: 'string',
        description: 'Newer GitLab: how dimensions combine. any = at least one must match; anything else = all must match.',
      },
    },
  },
  metadata: {
    type: 'object',
    description: 'Free annotations: keys are identifiers, values strings, numbers or booleans.',
    patternProperties: { '^[a-zA-Z$][\\w$]*$': { type: ['string', 'number', 'boolean'] } },
    additionalProperties: false,
  },
  skip_ci: {
    type: 'object',
    description: 'Whether [skip ci] may skip a pipeline this policy applies to. Absent: it may not.',
    properties: {
      allowed: { type: 'boolean' },
      allowlist: {
        type: 'object',
        description: 'Users who may use [skip ci] when it is not generally allowed.',
        properties: { users: { type: 'array', items: idItem('user') } },
      },
    },
    required: ['allowed'],
  },
  variables_override: {
    type: 'object',
    description:
      'GitLab 18.1+: which user-defined variables may reach policy jobs. allowed false + exceptions = allowlist; allowed true + exceptions = denylist.',
    properties: {
      allowed: { type: 'boolean' },
      exceptions: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
    required: ['allowed'],
  },
  pipeline_execution_content: {
    type: 'object',
    description: 'The CI file to run: exactly one include of a file in a project on the same instance.',
    properties: {
      include: {
        type: 'array',
        minItems: 1,
        maxItems: 1,
        items: {
          type: 'object',
          properties: {
            project: { type: 'string', description: 'Full path of the project holding the CI file.' },
            file: { type: 'string', description: 'Path of the CI file from the repository root (.yml or .yaml).' },
            ref: { type: 'string', description: 'Branch, tag or SHA; defaults to the default branch.' },
          },
          required: ['project', 'file'],
          additionalProperties: false,
        },
      },
    },
    required: ['include'],
    additionalProperties: false,
  },
  experiments: {
    type: 'object',
    description: 'Experiments for every policy of this file, e.g. ensure_pipeline_policy_pre_succeeds: {enabled: true}.',
    additionalProperties: {
      type: 'object',
      properties: { enabled: { type: 'boolean' } },
    },
  },
};
