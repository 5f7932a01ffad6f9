/**
 * Composing with scan execution policies through the CLI, on a small workspace: project app/web
 * (id 5, default branch main) and the policy project sec/policies. Returns the composed jobs by
 * name and the report.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runInProcess, writeWorkspace, type WorkspaceFiles } from '../../helpers/temp-workspace.js';

type Entry = Record<string, unknown>;

export const scanPolicy = (name: string, actions: Entry[], extra: Entry = {}): Entry => ({
  name,
  enabled: true,
  rules: [{ type: 'pipeline', branches: ['*'] }],
  actions,
  ...extra,
});

export const policies = (scan: Entry[], pipeline: Entry[] = []): Entry => ({
  ...(scan.length > 0 ? { scan_execution_policy: scan } : {}),
  ...(pipeline.length > 0 ? { pipeline_execution_policy: pipeline } : {}),
});

export const POLICY_FILE = 'sec/policies/.gitlab/security-policies/policy.yml';

const base: WorkspaceFiles = {
  'workspace.yml': {
    projects: {
      'app/web': { id: 5, groups: [1], default_branch: 'main', merge_requests: [{ iid: 7, source_branch: 'feature', target_branch: 'main' }] },
      'sec/policies': { id: 900 },
    },
  },
  'app/web/.gitlab-ci.yml': { build: { stage: 'build', script: ['make'] } },
  'app/web/app.py': 'print("hello")\n',
};

export interface ScanReport {
  created: boolean;
  reason: string;
  stages: string[];
  policies: { name: string; type: string; applied: boolean; reason: string }[];
  scanActions: { policy: string; action: number; scan: string; applied: boolean; reason: string; template: string | null; jobs: string[]; excludedJobs: string[]; outcome: string; droppedBy: string[] }[];
  jobs: { name: string; origin: string; policy: string | null; originalName: string; stage: string }[];
  excludedJobs: { name: string; reason: string }[];
}

export type ComposedJobs = Record<string, Record<string, unknown> & { script?: string[]; before_script?: string[]; stage?: string }>;

export async function composeScans(files: WorkspaceFiles, ...flags: string[]) {
  const root = await writeWorkspace({ ...base, ...files });
  const run = await runInProcess(
    ['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--report', join(root, 'report.json'), ...flags],
    root,
  );
  const ok = run.code === 0;
  const report = ok ? (JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as ScanReport) : undefined;
  const document = ok ? (parse(run.stdout) as ComposedJobs & { stages?: string[] }) : {};
  const { stages, ...jobs } = document;
  return { ...run, root, report, jobs: jobs as ComposedJobs, stages: (stages as string[] | undefined) ?? [], names: Object.keys(jobs) };
}
