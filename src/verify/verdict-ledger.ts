/**
 * Which verdict to publish when webhooks arrive twice, late or out of order: per project and
 * commit, the newest pipeline wins (an older pipeline's verdict is dropped once a newer one was
 * seen), and a verdict equal to the one already published for that pipeline is not sent again.
 * In memory and bounded: after a restart it is empty and every event is verified from GitLab
 * again, which gives the same verdict (the policy store records them when it is configured).
 */

export type LedgerDecision = 'publish' | 'duplicate' | 'superseded';

export interface VerdictLedger {
  /** Records the verdict when it is to be published. `pipeline` null: the commit had no pipeline. */
  decide(projectId: number, sha: string, pipeline: number | null, state: string): LedgerDecision;
}

export function createVerdictLedger(maxEntries = 10_000): VerdictLedger {
  const entries = new Map<string, { readonly pipeline: number; readonly state: string }>();
  return {
    decide(projectId, sha, pipeline, state) {
      const key = `${projectId}:${sha}`;
      const seen = entries.get(key);
      const id = pipeline ?? 0;
      if (seen !== undefined && seen.pipeline > id) return 'superseded';
      if (seen !== undefined && seen.pipeline === id && seen.state === state) return 'duplicate';
      // Oldest first out: Map keeps insertion order, so re-inserting moves the key to the end.
      entries.delete(key);
      entries.set(key, { pipeline: id, state });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      return 'publish';
    },
  };
}
