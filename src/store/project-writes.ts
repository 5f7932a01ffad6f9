/**
 * Writing projects and the resolved links (policy version → project, with the reason) in one
 * transaction. Links of versions that are no longer current stay: they say which projects an
 * older version applied to (`coverage --version`). Only what differs is written, so a sync over an unchanged fleet writes nothing;
 * the desired state is complete each time, so a sync cut off before this step is completed by
 * the next one. Rows go in as arrays through unnest: one statement per kind, not per row; and
 * only the links of projects whose links' digest differs are read back to be compared.
 */
import { createHash } from 'node:crypto';
import type { SqlQueries } from './sql-client.js';

export interface ProjectSnapshot {
  readonly path: string;
  readonly gitlabId: number;
  readonly groups: readonly number[];
  readonly frameworks: readonly number[];
  readonly defaultBranch: string;
  readonly ciConfigPath: string | null;
  readonly enforced: boolean | null;
}

export interface LinkSnapshot {
  readonly policyId: string;
  readonly digest: string;
  readonly projectPath: string;
  readonly reason: string;
}

export interface ProjectsWrite {
  readonly projectsChanged: number;
  readonly linksAdded: number;
  readonly linksRemoved: number;
}

const LINKS_LOCK = 'policy-links';

/**
 * Rows a sync changes before the planner's statistics are refreshed. PGlite runs no autovacuum
 * (single-user mode) and a server's comes up to a minute later: without them the questions asked
 * right after a large sync are planned as for empty tables.
 */
const ANALYZE_AFTER = 1000;

/** After the write's commit: ANALYZE the tables a large sync changed (a no-op for small ones). */
export async function refreshStatistics(db: SqlQueries, written: ProjectsWrite): Promise<void> {
  if (written.projectsChanged + written.linksAdded + written.linksRemoved < ANALYZE_AFTER) return;
  await db.exec('ANALYZE project, policy_link');
}

export async function writeProjectsAndLinks(
  tx: SqlQueries,
  projects: readonly ProjectSnapshot[],
  desired: readonly LinkSnapshot[],
  /** The policy projects this sync read: links of other policy projects and projects are left alone. */
  policyProjects: readonly string[],
  now: Date,
): Promise<ProjectsWrite> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LINKS_LOCK]);
  const changed = await tx.query<{ path: string }>(
    `INSERT INTO project (path, gitlab_id, groups, frameworks, default_branch, ci_config_path, enforced, synced_at)
     SELECT p.path, p.gitlab_id, ARRAY(SELECT jsonb_array_elements_text(p.groups)::bigint), ARRAY(SELECT jsonb_array_elements_text(p.frameworks)::bigint),
            p.default_branch, p.ci_config_path, p.enforced, $2
       FROM jsonb_to_recordset($1::jsonb) AS p(path text, gitlab_id bigint, groups jsonb, frameworks jsonb, default_branch text, ci_config_path text, enforced boolean)
     ON CONFLICT (path) DO UPDATE SET gitlab_id = excluded.gitlab_id, groups = excluded.groups, frameworks = excluded.frameworks,
       default_branch = excluded.default_branch, ci_config_path = excluded.ci_config_path, enforced = excluded.enforced, synced_at = excluded.synced_at
     WHERE (project.gitlab_id, project.groups, project.frameworks, project.default_branch, project.ci_config_path, project.enforced)
       IS DISTINCT FROM (excluded.gitlab_id, excluded.groups, excluded.frameworks, excluded.default_branch, excluded.ci_config_path, excluded.enforced)
     RETURNING path`,
    [
      JSON.stringify(
        projects.map((project) => ({
          path: project.path,
          gitlab_id: project.gitlabId,
          groups: project.groups,
          frameworks: project.frameworks,
          default_branch: project.defaultBranch,
          ci_config_path: project.ciConfigPath,
          enforced: project.enforced,
        })),
      ),
      now,
    ],
  );
  // Which projects' current links differ, by one digest per project computed on both sides:
  // only those projects' links come back to be compared row by row (at 10,000 projects an
  // unchanged fleet reads 10,000 short rows, not 300,000 links).
  const digests = await tx.query<{ project_path: string; links: string }>(
    `SELECT l.project_path, encode(sha256(convert_to(string_agg(
              length(l.policy_id) || ':' || l.policy_id || length(l.digest) || ':' || l.digest || length(l.reason) || ':' || l.reason,
              '' ORDER BY l.policy_id COLLATE "C", l.digest COLLATE "C"), 'UTF8')), 'hex') AS links
       FROM policy_link l JOIN policy p ON p.id = l.policy_id AND p.current_digest = l.digest
      WHERE p.policy_project = ANY($1::text[])
      GROUP BY l.project_path`,
    [policyProjects],
  );
  const storedDigests = new Map(digests.map((row) => [row.project_path, row.links]));
  const desiredByProject = new Map<string, LinkSnapshot[]>();
  for (const link of desired) {
    const list = desiredByProject.get(link.projectPath);
    if (list === undefined) desiredByProject.set(link.projectPath, [link]);
    else list.push(link);
  }
  const differing = new Set(
    projects.map((project) => project.path).filter((path) => storedDigests.get(path) !== linksDigest(desiredByProject.get(path) ?? [])),
  );
  const stored =
    differing.size === 0
      ? []
      : await tx.query<{ policy_id: string; digest: string; project_path: string; reason: string }>(
          `SELECT l.policy_id, l.digest, l.project_path, l.reason FROM policy_link l JOIN policy p ON p.id = l.policy_id AND p.current_digest = l.digest
            WHERE p.policy_project = ANY($1::text[]) AND l.project_path = ANY($2::text[])`,
          [policyProjects, [...differing]],
        );
  const links = desired.filter((link) => differing.has(link.projectPath));
  const key = (link: { policyId: string; digest: string; projectPath: string }): string => `${link.policyId}\u0000${link.digest}\u0000${link.projectPath}`;
  const storedByKey = new Map(stored.map((row) => [key({ policyId: row.policy_id, digest: row.digest, projectPath: row.project_path }), row.reason]));
  const desiredKeys = new Set(links.map(key));
  const toWrite = links.filter((link) => storedByKey.get(key(link)) !== link.reason);
  const toRemove = stored.filter((row) => !desiredKeys.has(key({ policyId: row.policy_id, digest: row.digest, projectPath: row.project_path })));
  if (toRemove.length > 0) {
    await tx.query(
      `DELETE FROM policy_link l USING unnest($1::text[], $2::text[], $3::text[]) AS r(policy_id, digest, project_path)
       WHERE l.policy_id = r.policy_id AND l.digest = r.digest AND l.project_path = r.project_path`,
      [toRemove.map((row) => row.policy_id), toRemove.map((row) => row.digest), toRemove.map((row) => row.project_path)],
    );
  }
  if (toWrite.length > 0) {
    await tx.query(
      `INSERT INTO policy_link (policy_id, digest, project_path, reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (policy_id, digest, project_path) DO UPDATE SET reason = excluded.reason`,
      [toWrite.map((link) => link.policyId), toWrite.map((link) => link.digest), toWrite.map((link) => link.projectPath), toWrite.map((link) => link.reason)],
    );
  }
  return { projectsChanged: changed.length, linksAdded: toWrite.length, linksRemoved: toRemove.length };
}

/**
 * The digest the query above computes for a project's links (undefined for none, as no row
 * comes back): each link length-prefixed, so no two sets read alike, in the order of policy id
 * and digest (hex, so JavaScript's order and PostgreSQL's "C" order agree). Lengths count code
 * points, as PostgreSQL's length() does. A digest that differs only costs a row-by-row compare.
 */
function linksDigest(links: readonly LinkSnapshot[]): string | undefined {
  if (links.length === 0) return undefined;
  const sorted = [...links].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const hash = createHash('sha256');
  for (const link of sorted) hash.update(`${codePoints(link.policyId)}:${link.policyId}${codePoints(link.digest)}:${link.digest}${codePoints(link.reason)}:${link.reason}`);
  return hash.digest('hex');
}

function codePoints(text: string): number {
  // Surrogate pairs are one code point each; most text has none.
  const pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
  return text.length - (pairs === null ? 0 : pairs.length);
}
