/** What `policies list|show|history|diff` read: policies, their versions, typed. */
import type { SqlQueries } from './sql-client.js';
import type { IncludedFile } from './policy-writes.js';

export interface PolicyRecord {
  readonly id: string;
  readonly policyProject: string;
  readonly type: string;
  readonly name: string;
  readonly position: number;
  readonly enabled: boolean;
  readonly scope: unknown;
  /** null when the policy is no longer in its policy file. */
  readonly currentVersion: number | null;
  readonly currentDigest: string | null;
  readonly projects: number;
}

export interface PolicyVersionRecord {
  readonly policyId: string;
  readonly number: number;
  readonly digest: string;
  readonly commitSha: string;
  readonly yaml: string;
  readonly files: readonly IncludedFile[];
  readonly firstSeen: string;
  readonly lastSeen: string;
}

interface PolicyRow {
  id: string;
  policy_project: string;
  type: string;
  name: string;
  position: number;
  enabled: boolean;
  scope: unknown;
  current_version: number | null;
  current_digest: string | null;
  projects: string | number;
}

const POLICY_SELECT = `
  SELECT p.id, p.policy_project, p.type, p.name, p.position, p.enabled, p.scope, v.number AS current_version, p.current_digest,
         (SELECT COUNT(*) FROM policy_link l WHERE l.policy_id = p.id AND l.digest = p.current_digest) AS projects
    FROM policy p LEFT JOIN policy_version v ON v.policy_id = p.id AND v.digest = p.current_digest`;

export async function listPolicies(db: SqlQueries): Promise<PolicyRecord[]> {
  const rows = await db.query<PolicyRow>(`${POLICY_SELECT} ORDER BY p.policy_project, p.type, p.position, p.name`);
  return rows.map(toPolicy);
}

/** By id, else by name when exactly one policy has it. */
export async function findPolicies(db: SqlQueries, idOrName: string): Promise<PolicyRecord[]> {
  const rows = await db.query<PolicyRow>(`${POLICY_SELECT} WHERE p.id = $1 OR p.name = $1 ORDER BY p.id = $1 DESC, p.policy_project, p.type`, [idOrName]);
  const exact = rows.filter((row) => row.id === idOrName);
  return (exact.length > 0 ? exact : rows).map(toPolicy);
}

export async function policyVersions(db: SqlQueries, policyId: string): Promise<PolicyVersionRecord[]> {
  const rows = await db.query<VersionRow>(
    `SELECT policy_id, number, digest, commit_sha, yaml, files, first_seen, last_seen FROM policy_version WHERE policy_id = $1 ORDER BY number`,
    [policyId],
  );
  return rows.map(toVersion);
}

interface VersionRow {
  policy_id: string;
  number: number;
  digest: string;
  commit_sha: string;
  yaml: string;
  files: unknown;
  first_seen: Date | string;
  last_seen: Date | string;
}

function toPolicy(row: PolicyRow): PolicyRecord {
  return {
    id: row.id,
    policyProject: row.policy_project,
    type: row.type,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    scope: row.scope,
    currentVersion: row.current_version,
    currentDigest: row.current_digest,
    projects: Number(row.projects),
  };
}

export function toVersion(row: VersionRow): PolicyVersionRecord {
  return {
    policyId: row.policy_id,
    number: row.number,
    digest: row.digest,
    commitSha: row.commit_sha,
    yaml: row.yaml,
    // Written by policy-writes.ts from IncludedFile[]; jsonb comes back parsed.
    files: row.files as IncludedFile[],
    firstSeen: isoOf(row.first_seen),
    lastSeen: isoOf(row.last_seen),
  };
}

export function isoOf(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export interface StoredPolicyProject {
  readonly path: string;
  readonly gitlabId: number;
  readonly commitSha: string;
  readonly policyFile: string;
  /** The current version of each policy in the file, with the files it includes. */
  readonly versions: readonly (PolicyVersionRecord & { readonly type: string; readonly name: string })[];
}

/** `--policies-from store`: every listed policy project with its current versions, in one query. */
export async function readPolicyProjects(db: SqlQueries, paths: readonly string[]): Promise<StoredPolicyProject[]> {
  const rows = await db.query<VersionRow & { path: string; gitlab_id: string | number; project_commit: string; policy_file: string; type: string | null; name: string | null }>(
    `SELECT pp.path, pp.gitlab_id, pp.commit_sha AS project_commit, pp.policy_file, p.type, p.name,
            v.policy_id, v.number, v.digest, v.commit_sha, v.yaml, v.files, v.first_seen, v.last_seen
       FROM policy_project pp
       LEFT JOIN policy p ON p.policy_project = pp.path AND p.current_digest IS NOT NULL
       LEFT JOIN policy_version v ON v.policy_id = p.id AND v.digest = p.current_digest
      WHERE pp.path = ANY($1::text[])
      ORDER BY pp.path, p.type, p.position`,
    [paths],
  );
  const byPath = new Map<string, { path: string; gitlabId: number; commitSha: string; policyFile: string; versions: StoredPolicyProject['versions'][number][] }>();
  for (const row of rows) {
    let project = byPath.get(row.path);
    if (project === undefined) {
      project = { path: row.path, gitlabId: Number(row.gitlab_id), commitSha: row.project_commit, policyFile: row.policy_file, versions: [] };
      byPath.set(row.path, project);
    }
    if (row.type !== null && row.name !== null && row.policy_id !== null) project.versions.push({ ...toVersion(row), type: row.type, name: row.name });
  }
  return [...byPath.values()];
}
