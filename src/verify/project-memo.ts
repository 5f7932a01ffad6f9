/**
 * `serve` verifies bursts of pipelines of the same projects: the project's record (id, path,
 * CI/CD configuration file setting) is read once per window instead of once per verification
 * (bench/verify-throughput.ts). Only records GitLab gave are kept; a 404 or an error is asked
 * again next time. The setting may be up to one window old: a pipeline created after it was
 * switched is still caught by its own configuration source, which is never memoised
 * (check-origin.ts `checkConfigSource`).
 */
import type { VerifyRecordsReader } from './records-port.js';
import type { ProjectRecord } from './records.js';

export function memoiseProjects(reader: VerifyRecordsReader, windowMs: number, now: () => number): VerifyRecordsReader {
  const known = new Map<string | number, { readonly record: ProjectRecord; readonly until: number }>();
  return {
    ...reader,
    async project(project) {
      const at = now();
      const hit = known.get(project);
      if (hit !== undefined && at < hit.until) return hit.record;
      const record = await reader.project(project);
      for (const [key, entry] of known) if (at >= entry.until) known.delete(key);
      if (record !== undefined) {
        const entry = { record, until: at + windowMs };
        // Webhooks name projects by id, `verify` by path: either finds the same record.
        known.set(record.id, entry);
        known.set(record.path, entry);
      }
      return record;
    },
  };
}
