/** One scan of a scan execution policy as the job builders need it (gitlab-pep-sep.md §4.2, §5.2). */
import type { LoadedPolicy } from '../../../policies/types.js';

export type ScanType = 'secret_detection' | 'sast' | 'sast_iac' | 'dependency_scanning' | 'container_scanning' | 'dast';

/** GitLab's pipeline scan types; `custom` and `cluster_image_scanning` are not injected (§4.2, §5.1 step 6). */
export const PIPELINE_SCAN_TYPES: readonly ScanType[] = ['secret_detection', 'sast', 'sast_iac', 'dependency_scanning', 'container_scanning', 'dast'];

export interface ScanAction {
  readonly policy: LoadedPolicy;
  /** The job-name index: `<job>-<index>`. Non-DAST actions count 0..n-1 across policies; DAST actions have their own count. */
  readonly index: number;
  readonly scan: ScanType;
  readonly variables: Readonly<Record<string, string>>;
  /** Runner tags replacing the template's, or undefined to keep them. */
  readonly tags: readonly string[] | undefined;
  readonly template: 'default' | 'latest';
  readonly ignoreDefaultBeforeAfterScript: boolean;
  /** DAST: `site_profile` (null when written as null, undefined when absent). */
  readonly siteProfile: string | null | undefined;
  readonly scannerProfile: string | undefined;
}

export interface ActionReason {
  policy: string;
  /** Position in the policy's `actions` list. */
  action: number;
  scan: string;
  applied: boolean;
  reason: string;
}

