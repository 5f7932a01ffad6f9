/**
 * GitLab's GraphQL endpoint (`POST /api/graphql`) for the fake instance, executed by graphql-js
 * (msw's own dependency) against a small slice of GitLab's schema (docs "api/graphql/reference"):
 * `Project.complianceFrameworks` (Premium and up) and `Project/Group.securityPolicyProject`
 * (Ultimate). On a lower tier the field does not exist, and a query naming it fails validation as
 * it does on GitLab. Private projects the caller cannot see resolve to null.
 */
import { buildSchema, graphql, type GraphQLError, type GraphQLSchema } from 'graphql';
import { http, HttpResponse, type RequestHandler } from 'msw';
import type { FakeGitlab, FakeGroup, FakeProject, Tier } from './gitlab-instance.js';
import { callerOf } from './gitlab-responses.js';

export function graphqlHandler(fake: FakeGitlab): RequestHandler {
  const schema = schemaFor(fake.tier);
  return http.post(fake.graphqlUrl, async ({ request }) => {
    const caller = callerOf(request, fake, false);
    if (caller instanceof Response) return caller;
    const body = (await request.json()) as { query?: unknown; variables?: unknown };
    if (typeof body.query !== 'string') return HttpResponse.json({ errors: [{ message: 'No query string was present' }] });
    const result = await graphql({
      schema,
      source: body.query,
      variableValues: (body.variables ?? {}) as Record<string, unknown>,
      rootValue: caller === 'user' ? rootOf(fake) : { project: () => null, group: () => null },
    });
    return HttpResponse.json({ ...result, ...(result.errors === undefined ? {} : { errors: result.errors.map(asGitlabError) }) });
  });
}

/**
 * graphql-ruby's wording and code for a field the schema lacks (what a lower tier answers):
 * `{"message": "Field 'x' doesn't exist on type 'Project'", "extensions": {"code": "undefinedField", ...}}`.
 */
function asGitlabError(error: GraphQLError): object {
  const missing = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
  if (missing === null) return error.toJSON();
  const [, fieldName, typeName] = missing;
  return {
    message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
    locations: error.locations,
    extensions: { code: 'undefinedField', typeName, fieldName },
  };
}

function schemaFor(tier: Tier): GraphQLSchema {
  const compliance = tier === 'free' ? '' : 'complianceFrameworks: ComplianceFrameworkConnection';
  const policies = tier === 'ultimate' ? 'securityPolicyProject: Project' : '';
  return buildSchema(`
    type Query {
      project(fullPath: ID!): Project
      group(fullPath: ID!): Group
    }
    type Project {
      id: ID!
      fullPath: ID!
      name: String!
      ${compliance}
      ${policies}
    }
    type Group {
      id: ID!
      fullPath: ID!
      name: String!
      ${policies}
    }
    type ComplianceFramework {
      id: ID!
      name: String!
    }
    type ComplianceFrameworkConnection {
      nodes: [ComplianceFramework]
    }
  `);
}

function rootOf(fake: FakeGitlab) {
  const linked = (fullPath: string) => {
    const target = fake.options.securityPolicyProjects?.[fullPath];
    // The Project type authorises read_project: a project the caller cannot read resolves to null.
    const project = target === undefined || fake.options.unreadableProjects?.includes(target) === true ? undefined : fake.project(target);
    return project === undefined ? null : projectNode(project);
  };
  const projectNode = (project: FakeProject): Record<string, unknown> => ({
    id: `gid://gitlab/Project/${project.id}`,
    fullPath: project.path,
    name: project.path.split('/').at(-1),
    complianceFrameworks: {
      nodes: project.complianceFrameworks.map((id) => ({ id: `gid://gitlab/ComplianceManagement::Framework/${id}`, name: `Framework ${id}` })),
    },
    securityPolicyProject: () => linked(project.path),
  });
  const groupNode = (group: FakeGroup): Record<string, unknown> => ({
    id: `gid://gitlab/Group/${group.id}`,
    fullPath: group.fullPath,
    name: group.fullPath.split('/').at(-1),
    securityPolicyProject: () => linked(group.fullPath),
  });
  return {
    project: ({ fullPath }: { fullPath: string }) => {
      const project = fake.project(fullPath);
      return project === undefined || /^\d+$/.test(fullPath) ? null : projectNode(project);
    },
    group: ({ fullPath }: { fullPath: string }) => {
      const group = fake.group(fullPath);
      return group === undefined || /^\d+$/.test(fullPath) ? null : groupNode(group);
    },
  };
}
