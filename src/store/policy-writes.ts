/**
 * Writing one policy project's policies and versions, in the caller's transaction. Two syncs of
 * the same policy project at once queue on an advisory lock keyed by its path, so version
 * numbers are given once and no digest is stored twice; a version is written with its policy or
 * not at all (the transaction), which is what makes a sync cut off mid-way safe to repeat.
 */
import type { SqlQueries } from './sql-client.js';

/** A file a policy includes, as read when the version was seen. */
export interface IncludedFile {
  readonly project: string;
  readonly path: string;
  readonly ref: string | null;
  readonly text: string;
}

export interface PolicySnapshot {
  /** Stable id (store/policy-id.ts). */
  readonly id: string;
  readonly type: string;
  readonly name: string;
  /** Index in its policy project's list of that type. */
  readonly position: number;
  readonly enabled: boolean;
  /** `policy_scope` as validated, or null. */
  readonly scope: unknown;
  /** sha256 of the policy's YAML and every file it includes (sync/policy-digest.ts). */
  readonly digest: string;
  readonly yaml: string;
  readonly files: readonly IncludedFile[];
}

export interface PolicyProjectSnapshot {
  readonly path: string;
  readonly gitlabId: number;
  /** What "unchanged" is judged by: the commits read (sync/head-commits.ts). */
  readonly commitSha: string;
  readonly policyFile: string;
  readonly policies: readonly PolicySnapshot[];
}

export interface PolicyProjectWrite {
  readonly changed: boolean;
  readonly versionsAdded: number;
}

export async function writePolicyProject(tx: SqlQueries, snapshot: PolicyProjectSnapshot, now: Date): Promise<PolicyProjectWrite> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy-project:${snapshot.path}`]);
  const [stored] = await tx.query<{ commit_sha: string; policy_file: string }>('SELECT commit_sha, policy_file FROM policy_project WHERE path = $1', [snapshot.path]);
  if (stored !== undefined && stored.commit_sha === snapshot.commitSha && stored.policy_file === snapshot.policyFile) {
    return { changed: false, versionsAdded: 0 };
  }
  await tx.query(
    `INSERT INTO policy_project (path, gitlab_id, commit_sha, policy_file, synced_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (path) DO UPDATE SET gitlab_id = excluded.gitlab_id, commit_sha = excluded.commit_sha,
       policy_file = excluded.policy_file, synced_at = excluded.synced_at`,
    [snapshot.path, snapshot.gitlabId, snapshot.commitSha, snapshot.policyFile, now],
  );
  let versionsAdded = 0;
  for (const policy of snapshot.policies) {
    await tx.query(
      `INSERT INTO policy (id, policy_project, type, name, position, enabled, scope, current_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, enabled = excluded.enabled, scope = excluded.scope`,
      [policy.id, snapshot.path, policy.type, policy.name, policy.position, policy.enabled, JSON.stringify(policy.scope ?? null)],
    );
    const [version] = await tx.query<{ number: number; inserted: boolean }>(
      `INSERT INTO policy_version (policy_id, number, digest, commit_sha, yaml, files, first_seen, last_seen)
       SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6, $6 FROM policy_version WHERE policy_id = $1
       ON CONFLICT (policy_id, digest) DO UPDATE SET last_seen = excluded.last_seen
       RETURNING number, (xmax = 0) AS inserted`,
      [policy.id, policy.digest, snapshot.commitSha, policy.yaml, JSON.stringify(policy.files), now],
    );
    if (version?.inserted === true) versionsAdded += 1;
    await tx.query('UPDATE policy SET current_digest = $2 WHERE id = $1', [policy.id, policy.digest]);
  }
  // Policies gone from the file keep their history; they are no longer current.
  await tx.query('UPDATE policy SET current_digest = NULL WHERE policy_project = $1 AND NOT (id = ANY($2::text[]))', [
    snapshot.path,
    snapshot.policies.map((policy) => policy.id),
  ]);
  return { changed: true, versionsAdded };
}
