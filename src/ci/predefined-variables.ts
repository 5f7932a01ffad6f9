/**
 * The predefined variables GitLab sets for a pipeline, derived from what the pipeline is about.
 * Only the variables that rules and includes commonly read are derived; callers may pass more.
 * GitLab rules followed (docs "ci/variables/predefined_variables"): CI_COMMIT_BRANCH is absent in
 * merge request and tag pipelines; CI_COMMIT_TAG only in tag pipelines; CI_COMMIT_REF_NAME is the
 * branch or tag (the source branch in merge request pipelines).
 */
import { compileLinearPattern, type LinearPattern, re2Literal } from './linear-pattern.js';
import type { Variables } from './context.js';
import type { ProjectMetadata } from '../sources/source.js';

export interface PipelineTrigger {
  /** CI_PIPELINE_SOURCE: push, merge_request_event, schedule, web, api, trigger, pipeline... */
  readonly source: string;
  readonly branch: string | undefined;
  readonly tag: string | undefined;
  /** Target branch of the merge request, for merge request pipelines. */
  readonly mergeRequestTarget: string | undefined;
  readonly mergeRequestIid: string | undefined;
  readonly configPath: string;
  readonly serverHost: string;
  readonly sha: string | undefined;
}

export function derivePredefinedVariables(project: ProjectMetadata, trigger: PipelineTrigger): Variables {
  const namespace = project.path.includes('/') ? project.path.slice(0, project.path.lastIndexOf('/')) : '';
  const name = project.path.slice(project.path.lastIndexOf('/') + 1);
  const refName = trigger.tag ?? trigger.branch ?? project.defaultBranch;
  const variables: Record<string, string> = {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PIPELINE_SOURCE: trigger.source,
    CI_PROJECT_ID: String(project.id),
    CI_PROJECT_PATH: project.path,
    CI_PROJECT_NAME: name,
    CI_PROJECT_NAMESPACE: namespace,
    CI_PROJECT_ROOT_NAMESPACE: project.path.split('/')[0] ?? '',
    CI_DEFAULT_BRANCH: project.defaultBranch,
    CI_CONFIG_PATH: trigger.configPath,
    CI_COMMIT_REF_NAME: refName,
    CI_COMMIT_REF_SLUG: slugify(refName),
    CI_COMMIT_REF_PROTECTED: String(isProtected(refName, project.protectedBranches)),
    CI_SERVER_FQDN: trigger.serverHost,
    CI_SERVER_HOST: trigger.serverHost,
    CI_SERVER_URL: `https://${trigger.serverHost}`,
  };
  if (trigger.sha !== undefined) variables['CI_COMMIT_SHA'] = trigger.sha;
  if (trigger.tag !== undefined) {
    variables['CI_COMMIT_TAG'] = trigger.tag;
  } else if (trigger.source === 'merge_request_event') {
    variables['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'] = refName;
    variables['CI_MERGE_REQUEST_TARGET_BRANCH_NAME'] = trigger.mergeRequestTarget ?? project.defaultBranch;
    variables['CI_MERGE_REQUEST_EVENT_TYPE'] = 'detached';
    variables['CI_MERGE_REQUEST_PROJECT_PATH'] = project.path;
    if (trigger.mergeRequestIid !== undefined) variables['CI_MERGE_REQUEST_IID'] = trigger.mergeRequestIid;
  } else {
    variables['CI_COMMIT_BRANCH'] = refName;
  }
  return variables;
}

/** GitLab's CI_COMMIT_REF_SLUG: lowercased, non-alphanumerics to `-`, at most 63 bytes, no edge dashes. */
export function slugify(ref: string): string {
  return ref
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

/**
 * Protected-branch patterns use `*` wildcards only (docs "user/project/repository/branches/protected"),
 * matching any run of characters, `/` included (RefMatcher). A Maintainer writes them and a
 * Developer names the branch, so they run in linear time.
 */
export function isProtected(ref: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.includes('*') ? compileRefWildcard(pattern).test(ref) : pattern === ref));
}

function compileRefWildcard(pattern: string): LinearPattern {
  const parts = pattern.split('*').map((part) => Array.from(part, (char) => re2Literal(char.codePointAt(0) ?? 0)).join(''));
  return compileLinearPattern(`^${parts.join('(?s:.*)')}$`);
}
