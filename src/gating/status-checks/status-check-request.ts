/**
 * GitLab's status-check request, read from `unknown` (gitlab-approvals-status-checks.md §4.2):
 * the merge request webhook payload plus `external_approval_rule: {id, name, external_url}`.
 * Only the fields the decision and the answer need; GitLab adds fields over time, so others are
 * ignored. Pure: bytes are parsed by the caller after the signature has been checked.
 */

export interface StatusCheckRequest {
  /** `project.id`: the merge request's (target) project, where the answer is posted. */
  readonly projectId: number;
  /** `project.path_with_namespace`, for logs and the GraphQL head-pipeline lookup. */
  readonly projectPath: string;
  readonly mergeRequestIid: number;
  /** `object_attributes.state`: opened, closed, merged, locked. */
  readonly state: string;
  /** `object_attributes.last_commit.id`: the SHA to answer for (§4.3: it must be the MR's head). */
  readonly headSha: string;
  /** `object_attributes.last_commit.message`, for `[skip ci]`. */
  readonly headCommitMessage: string;
  /** `external_approval_rule.id`, sent back as `external_status_check_id`. */
  readonly externalStatusCheckId: number;
}

export type ParsedStatusCheckRequest =
  | { readonly ok: true; readonly request: StatusCheckRequest }
  | { readonly ok: false; readonly problem: string };

type Json = Readonly<Record<string, unknown>>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined; // checked: a non-null object
}

class PayloadProblem extends Error {}

function field<T>(parent: Json | undefined, path: string, name: string, test: (value: unknown) => value is T, expected: string): T {
  const value = parent?.[name];
  if (!test(value)) throw new PayloadProblem(`${path}.${name}: expected ${expected}`);
  return value;
}

const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isString = (value: unknown): value is string => typeof value === 'string';
const isSha = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value);

/** The payload's fields, or the first one missing or malformed (answered with 400). */
export function parseStatusCheckRequest(payload: unknown): ParsedStatusCheckRequest {
  try {
    const root = record(payload);
    if (root === undefined) return { ok: false, problem: '$: expected a JSON object' };
    if (root['object_kind'] !== 'merge_request') return { ok: false, problem: '$.object_kind: expected "merge_request"' };
    const project = record(root['project']);
    const attributes = record(root['object_attributes']);
    const lastCommit = record(attributes?.['last_commit']);
    const rule = record(root['external_approval_rule']);
    return {
      ok: true,
      request: {
        projectId: field(project, '$.project', 'id', isPositiveInteger, 'a positive integer'),
        projectPath: field(project, '$.project', 'path_with_namespace', isString, 'a string'),
        mergeRequestIid: field(attributes, '$.object_attributes', 'iid', isPositiveInteger, 'a positive integer'),
        state: field(attributes, '$.object_attributes', 'state', isString, 'a string'),
        headSha: field(lastCommit, '$.object_attributes.last_commit', 'id', isSha, 'a commit SHA'),
        headCommitMessage: field(lastCommit, '$.object_attributes.last_commit', 'message', isString, 'a string'),
        externalStatusCheckId: field(rule, '$.external_approval_rule', 'id', isPositiveInteger, 'a positive integer'),
      },
    };
  } catch (error) {
    if (error instanceof PayloadProblem) return { ok: false, problem: error.message };
    throw error;
  }
}
