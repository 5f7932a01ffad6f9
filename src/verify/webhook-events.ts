/**
 * GitLab's pipeline and merge request webhook payloads (docs "user/project/integrations/
 * webhook_events": "Pipeline events", "Merge request events"), reduced to what the verifier needs.
 * Untrusted until the X-Gitlab-Token check passed, and shape-checked here either way.
 */

export type WebhookEvent =
  | { readonly kind: 'pipeline'; readonly projectId: number; readonly projectPath: string; readonly pipelineId: number; readonly sha: string; readonly status: string; readonly source: string }
  | { readonly kind: 'merge-request'; readonly projectId: number; readonly projectPath: string; readonly iid: number; readonly state: string; readonly headSha: string; readonly commitMessage: string };

export type ParsedWebhook = { readonly ok: true; readonly event: WebhookEvent } | { readonly ok: false; readonly ignored: boolean; readonly problem: string };

export function parseWebhook(payload: unknown): ParsedWebhook {
  const root = record(payload);
  if (root === undefined) return bad('the body is not a JSON object');
  const project = record(root['project']);
  const attributes = record(root['object_attributes']);
  const projectId = project?.['id'];
  const projectPath = project?.['path_with_namespace'];
  if (typeof projectId !== 'number' || typeof projectPath !== 'string' || attributes === undefined) {
    if (root['object_kind'] !== 'pipeline' && root['object_kind'] !== 'merge_request') return { ok: false, ignored: true, problem: `event ${String(root['object_kind'])} is not verified` };
    return bad('project or object_attributes is missing');
  }
  if (root['object_kind'] === 'pipeline') {
    const { id, sha, status, source } = attributes;
    if (typeof id !== 'number' || typeof sha !== 'string' || typeof status !== 'string') return bad('object_attributes.id, sha or status is missing');
    return { ok: true, event: { kind: 'pipeline', projectId, projectPath, pipelineId: id, sha, status, source: typeof source === 'string' ? source : 'unknown' } };
  }
  if (root['object_kind'] === 'merge_request') {
    const { iid, state } = attributes;
    const commit = record(attributes['last_commit']);
    const headSha = commit?.['id'];
    if (typeof iid !== 'number' || typeof state !== 'string' || typeof headSha !== 'string') return bad('object_attributes.iid, state or last_commit.id is missing');
    const message = commit?.['message'];
    return { ok: true, event: { kind: 'merge-request', projectId, projectPath, iid, state, headSha, commitMessage: typeof message === 'string' ? message : '' } };
  }
  return { ok: false, ignored: true, problem: `event ${String(root['object_kind'])} is not verified` };
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Readonly<Record<string, unknown>>) : undefined; // checked: an object
}

function bad(problem: string): ParsedWebhook {
  return { ok: false, ignored: false, problem };
}
