/**
 * The policy store's questions over HTTP, read-only, under `serve` (docs/store.md): the same
 * records `policies`, `projects show` and `coverage` print as JSON. Every route needs
 * `Authorization: Bearer <POLICY_SIDECAR_STORE_API_TOKEN>`, compared in constant time; nothing
 * here writes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PolicyStore } from '../store/open-store.js';
import type { PolicyRecord } from '../store/policy-reads.js';
import { secretMatches } from './secret-compare.js';

export const STORE_API_TOKEN_VARIABLE = 'POLICY_SIDECAR_STORE_API_TOKEN';

/** The one thing the routes need of the server: GET routes. */
export interface RouteRegistrar {
  get(path: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): unknown;
}

export function registerStoreRoutes(app: RouteRegistrar, store: PolicyStore, token: string): void {
  const authorised = (request: FastifyRequest): boolean => {
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    return secretMatches(token, given);
  };
  const guarded =
    (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      if (!authorised(request)) return reply.code(401).header('www-authenticate', 'Bearer').send({ message: 'a valid bearer token is required' });
      return handler(request, reply);
    };
  const onePolicy = async (id: string, reply: FastifyReply): Promise<PolicyRecord | undefined> => {
    const found = await store.findPolicies(id);
    if (found.length === 1) return found[0];
    await reply.code(found.length === 0 ? 404 : 409).send({ message: found.length === 0 ? `no policy ${id}` : `${found.length} policies are named ${id}: use the id` });
    return undefined;
  };

  app.get('/store/policies', guarded(async () => store.listPolicies()));
  app.get(
    '/store/policies/:id',
    guarded(async (request, reply) => {
      const policy = await onePolicy((request.params as { id: string }).id, reply);
      if (policy === undefined) return reply;
      const versions = await store.policyVersions(policy.id);
      return { ...policy, version: versions.find((version) => version.digest === policy.currentDigest) ?? null };
    }),
  );
  app.get(
    '/store/policies/:id/history',
    guarded(async (request, reply) => {
      const policy = await onePolicy((request.params as { id: string }).id, reply);
      if (policy === undefined) return reply;
      return (await store.policyVersions(policy.id)).map(({ yaml: _yaml, files: _files, ...version }) => version);
    }),
  );
  app.get(
    '/store/projects/*',
    guarded(async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      const view = await store.showProject(path);
      return view ?? reply.code(404).send({ message: `no project ${path}` });
    }),
  );
  app.get(
    '/store/coverage',
    guarded(async (request, reply) => {
      const query = request.query as { policy?: string; version?: string };
      if (query.policy === undefined) return reply.code(400).send({ message: 'the policy query parameter is required' });
      const policy = await onePolicy(query.policy, reply);
      if (policy === undefined) return reply;
      const versions = await store.policyVersions(policy.id);
      const wanted = query.version?.replace(/^v/, '');
      const version = versions.find((candidate) => (wanted === undefined ? candidate.digest === policy.currentDigest : String(candidate.number) === wanted));
      if (version === undefined) return reply.code(404).send({ message: `${policy.name} has no such version` });
      return { policy: policy.id, version: version.number, digest: version.digest, projects: await store.coverage(policy.id, version.digest) };
    }),
  );
}
