/**
 * The GraphQL reads (docs "api/graphql/reference"): compliance frameworks of a project and the
 * security policy projects linked to a project and its groups. gitbeaker has no GraphQL client,
 * so these go through the transport (memo) and the HttpClient directly. Fields that a tier lacks
 * do not exist in its schema, and GitLab (graphql-ruby) refuses the whole query with the error
 * code `undefinedField`: that answer means "not on this instance", not a failure.
 */
import { SourceError } from '../../errors.js';
import { parseJson } from './gitlab-api.js';
import type { GitlabTransport } from './gitlab-transport.js';
import { checkResponse, list, nullable, object, optional, string, type Shape } from './response-shape.js';

/** `/api/graphql`, beside `/api/v4` (also under a relative URL root such as /gitlab/api/v4). */
const GRAPHQL_PATH = '../graphql';
const ENDPOINT = 'POST /api/graphql';

const graphqlErrors = optional(list(object({ message: string, extensions: optional(object({ code: optional(string) })) })));

/** The query's `data`, or undefined when the instance's schema lacks a field it names. */
export async function queryGraphql<T>(transport: Pick<GitlabTransport, 'postQuery'>, query: string, variables: Record<string, string>, data: Shape<T>): Promise<T | undefined> {
  const response = await transport.postQuery(GRAPHQL_PATH, { query, variables });
  const body = checkResponse(object({ data: optional(nullable(data)), errors: graphqlErrors }), parseJson(response.text, ENDPOINT), ENDPOINT);
  const errors = body.errors ?? [];
  if (errors.length > 0 && errors.every((error) => error.extensions?.code === 'undefinedField')) return undefined;
  if (errors.length > 0 || body.data === undefined || body.data === null) {
    throw new SourceError('gitlab-graphql', `${ENDPOINT} failed: ${errors.map((error) => error.message).join('; ') || 'no data'}`, {
      hint: 'Check that the token has scope read_api and that GraphQL is enabled on the instance.',
    });
  }
  return body.data;
}

const frameworksShape = object({
  project: nullable(object({ complianceFrameworks: object({ nodes: list(object({ id: string })) }) })),
});

/**
 * Compliance framework ids of a project; [] on tiers without compliance frameworks (they are
 * Premium and up). A project GraphQL cannot see is an error, not "no frameworks": policy_scope
 * decisions depend on it (and GraphQL does not accept CI_JOB_TOKEN).
 */
export async function complianceFrameworksOf(transport: GitlabTransport, project: string): Promise<number[]> {
  const query = 'query ProjectComplianceFrameworks($fullPath: ID!) { project(fullPath: $fullPath) { complianceFrameworks { nodes { id } } } }';
  const data = await queryGraphql(transport, query, { fullPath: project }, frameworksShape);
  if (data === undefined) return [];
  if (data.project === null) throw unreadable(`project ${project}`);
  return data.project.complianceFrameworks.nodes.map((node) => idOfGlobalId(node.id, 'ComplianceManagement::Framework'));
}

/** A project's frameworks, or `unreadable` when GraphQL answered null (the token cannot see it). */
export type FrameworkIds = readonly number[] | 'unreadable';

const projectFrameworksShape = nullable(object({ complianceFrameworks: object({ nodes: list(object({ id: string })) }) }));

/**
 * Compliance framework ids of several projects in one query: the query above once per project,
 * aliased `p0`, `p1`... (as linkedPolicyProjects does for groups). Per path: its ids, [] on tiers
 * without compliance frameworks, or `unreadable` when the project resolves to null.
 */
export async function complianceFrameworksOfMany(transport: Pick<GitlabTransport, 'postQuery'>, paths: readonly string[]): Promise<Map<string, FrameworkIds>> {
  const result = new Map<string, FrameworkIds>();
  if (paths.length === 0) return result;
  const variables: Record<string, string> = {};
  const shapes: Record<string, typeof projectFrameworksShape> = {};
  const fields = paths.map((path, index) => {
    variables[`p${index}`] = path;
    shapes[`p${index}`] = projectFrameworksShape;
    return `p${index}: project(fullPath: $p${index}) { complianceFrameworks { nodes { id } } }`;
  });
  const parameters = Object.keys(variables).map((name) => `$${name}: ID!`).join(', ');
  const data = await queryGraphql(transport, `query ProjectsComplianceFrameworks(${parameters}) { ${fields.join(' ')} }`, variables, object(shapes));
  paths.forEach((path, index) => {
    if (data === undefined) return result.set(path, []);
    const node = data[`p${index}`];
    result.set(path, node === null || node === undefined ? 'unreadable' : node.complianceFrameworks.nodes.map((framework) => idOfGlobalId(framework.id, 'ComplianceManagement::Framework')));
  });
  return result;
}

const linkedShape = nullable(object({ securityPolicyProject: nullable(object({ fullPath: string })) }));

/**
 * Security policy projects linked to the project and its ancestor groups, top-most group first
 * and the project's own link last (the order GitLab walks them: reference §1.2), each once.
 * [] on tiers without security policies (Ultimate).
 */
export async function linkedPolicyProjects(transport: GitlabTransport, project: string, groups: readonly string[]): Promise<string[]> {
  const variables: Record<string, string> = { project };
  const fields = ['project: project(fullPath: $project) { securityPolicyProject { fullPath } }'];
  const shapes: Record<string, typeof linkedShape> = { project: linkedShape };
  groups.forEach((group, index) => {
    variables[`g${index}`] = group;
    fields.push(`g${index}: group(fullPath: $g${index}) { securityPolicyProject { fullPath } }`);
    shapes[`g${index}`] = linkedShape;
  });
  const parameters = Object.keys(variables).map((name) => `$${name}: ID!`).join(', ');
  const query = `query SecurityPolicyProjects(${parameters}) { ${fields.join(' ')} }`;
  const data = await queryGraphql(transport, query, variables, object(shapes));
  if (data === undefined) return [];
  const levels = [...groups.map((group, index) => ({ name: `group ${group}`, node: data[`g${index}`] })), { name: `project ${project}`, node: data['project'] }];
  const paths: string[] = [];
  for (const { name, node } of levels) {
    // A level we cannot see might link policies: failing beats running without them (fail closed).
    if (node === null || node === undefined) throw unreadable(name);
    if (node.securityPolicyProject !== null) paths.push(node.securityPolicyProject.fullPath);
  }
  return [...new Set(paths)];
}

function unreadable(what: string): SourceError {
  return new SourceError('gitlab-graphql-not-visible', `${ENDPOINT} cannot see ${what}`, {
    hint: 'GraphQL does not accept CI_JOB_TOKEN: set POLICY_SIDECAR_TOKEN to a token with scope read_api that can read the project and its groups.',
  });
}

/** `gid://gitlab/ComplianceManagement::Framework/3` → 3. */
function idOfGlobalId(gid: string, type: string): number {
  const match = new RegExp(`^gid://gitlab/${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d+)$`).exec(gid);
  if (match?.[1] === undefined) {
    throw new SourceError('gitlab-response-shape', `${ENDPOINT} answered with an unexpected shape: ${gid} is not a ${type} global id`);
  }
  return Number(match[1]);
}
