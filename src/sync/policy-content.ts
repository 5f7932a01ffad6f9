/**
 * A policy's content as a version is judged by: its own YAML entry (re-serialised, so comments
 * and layout are not changes) and, for a pipeline execution policy, its CI file and the files
 * that file includes by `local` or `project`, as read. The digest is sha256 over all of it, so a
 * change in an included file is a new version even when policy.yml did not change. `remote`,
 * `template` and `component` includes are not followed, nor includes whose address holds a
 * variable (those name the pipeline's own project).
 */
import { createHash } from 'node:crypto';
import { parse, stringify } from 'yaml';
import type { LoadedPolicy } from '../policies/types.js';
import type { IncludedFile } from '../store/policy-writes.js';

export type ReadFile = (project: string, path: string, ref: string | undefined) => Promise<string | undefined>;

export interface PolicyContent {
  readonly yaml: string;
  readonly files: readonly IncludedFile[];
  readonly digest: string;
}

/** Bounds on the include walk: GitLab's own include limit is 150 files (reference §2). */
const MAX_FILES = 150;

export async function readPolicyContent(policyFileText: string, loaded: LoadedPolicy, readFile: ReadFile): Promise<PolicyContent> {
  // The file passed validation (loadPolicyFiles), so the entry exists at [type][index].
  const root = parse(policyFileText) as Record<string, unknown[]>;
  const entry = root[loaded.policy.type]?.[loaded.index] ?? null;
  const yaml = stringify(entry, { sortMapEntries: false });
  const files = loaded.policy.type === 'pipeline_execution_policy' ? await readIncludedFiles(loaded.policy.content, readFile) : [];
  return { yaml, files, digest: digestOf(yaml, files) };
}

function digestOf(yaml: string, files: readonly IncludedFile[]): string {
  const hash = createHash('sha256').update(yaml);
  for (const file of files) hash.update(`\u0000${file.project}\u0000${file.path}\u0000${file.ref ?? ''}\u0000${file.text}`);
  return hash.digest('hex');
}

interface FileAddress {
  readonly project: string;
  readonly path: string;
  readonly ref: string | undefined;
}

async function readIncludedFiles(content: { project: string; file: string; ref: string | undefined }, readFile: ReadFile): Promise<IncludedFile[]> {
  const files: IncludedFile[] = [];
  const seen = new Set<string>();
  const queue: FileAddress[] = [{ project: content.project, path: content.file.replace(/^\/+/, ''), ref: content.ref }];
  while (queue.length > 0 && files.length < MAX_FILES) {
    const address = queue.shift() as FileAddress;
    const key = `${address.project}\u0000${address.path}\u0000${address.ref ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = await readFile(address.project, address.path, address.ref);
    // A missing file is recorded as empty: compose will fail on it; the version still says what was there.
    files.push({ project: address.project, path: address.path, ref: address.ref ?? null, text: text ?? '' });
    if (text !== undefined) queue.push(...includesOf(text, address));
  }
  return files;
}

/** The `local` and `project` includes of a CI file, without interpolation (a best effort for the digest). */
function includesOf(text: string, from: FileAddress): FileAddress[] {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (typeof document !== 'object' || document === null) return [];
  const include = (document as Record<string, unknown>)['include'];
  const entries = Array.isArray(include) ? include : include === undefined ? [] : [include];
  const found: FileAddress[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (!/^https?:\/\//.test(entry)) found.push({ ...from, path: entry.replace(/^\/+/, '') });
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    if (typeof record['local'] === 'string') found.push({ ...from, path: record['local'].replace(/^\/+/, '') });
    if (typeof record['project'] === 'string') {
      const paths = Array.isArray(record['file']) ? record['file'] : [record['file']];
      for (const path of paths) {
        if (typeof path === 'string') found.push({ project: record['project'], path: path.replace(/^\/+/, ''), ref: typeof record['ref'] === 'string' ? record['ref'] : undefined });
      }
    }
  }
  // `$CI_PROJECT_PATH`, `$CI_COMMIT_SHA`...: files of the pipeline's own project, chosen per
  // pipeline (override_project_ci pulling the project's CI back in), not part of the policy.
  return found.filter((address) => ![address.project, address.path, address.ref ?? ''].some((part) => part.includes('$')));
}
