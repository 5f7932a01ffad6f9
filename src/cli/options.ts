/**
 * The one option table. The argv parser, every `--help` text and docs/cli.md are generated from
 * it, so a flag is declared once (STYLE.md: "the same list twice" is what we avoid).
 */

export const COMMANDS = {
  compose: {
    summary: "Compose the project's pipeline with its pipeline and scan execution policies into one self-contained child pipeline that enforces them.",
    usage: 'policy-sidecar compose --workspace DIR --project PATH [options]',
    positionals: false,
  },
  explain: {
    summary: 'Say, for people, why each job is in the composed pipeline or not, and where it came from.',
    usage: 'policy-sidecar explain --workspace DIR --project PATH [options]',
    positionals: false,
  },
  validate: {
    summary: 'Check CI configuration files (syntax, includes, extends, !reference, jobs) and policy files (the policy schema) without composing.',
    usage: 'policy-sidecar validate FILE|DIR... [options]',
    positionals: true,
  },
  evaluate: {
    summary: 'Judge the merge request against approval policies from the security reports of its pipeline and of the target branch (docs/merge-gating.md).',
    usage: 'policy-sidecar evaluate [--workspace DIR] --project PATH --reports DIR [--target-reports DIR] --mr-target BRANCH [options]',
    positionals: false,
  },
  serve: {
    summary: "Run the external status check service: GitLab asks it about a merge request, it answers whether the head commit's policy jobs passed (docs/status-checks.md).",
    usage: 'policy-sidecar serve [--port N] [--host H] [options]',
    positionals: false,
  },
  schedule: {
    summary: 'Plan the scheduled scans of scan execution policies (type: schedule rules) and keep GitLab pipeline schedules in line with it (docs/schedules.md).',
    usage: 'policy-sidecar schedule [--workspace DIR] --project PATH [--policy-project PATH]... [--at TIME] [--apply]',
    positionals: false,
  },
} as const;

export type CommandName = keyof typeof COMMANDS;

interface OptionDefinition {
  readonly type: 'string' | 'boolean';
  readonly multiple?: true;
  /** Placeholder in help texts. */
  readonly value?: string;
  readonly description: string;
  readonly commands: readonly CommandName[];
  readonly choices?: readonly string[];
}

const PIPELINE: readonly CommandName[] = ['compose', 'explain'];
const ALL: readonly CommandName[] = ['compose', 'explain', 'validate'];
/** Options `evaluate` shares with compose and explain. */
const PIPELINE_AND_EVALUATE: readonly CommandName[] = [...PIPELINE, 'evaluate'];
/** Commands that read a project and its policies, offline or from GitLab. */
const WITH_POLICIES: readonly CommandName[] = [...PIPELINE_AND_EVALUATE, 'schedule'];

export const OPTIONS = {
  workspace: {
    type: 'string',
    value: 'DIR',
    description: 'Offline mode: DIR/<project path>/ holds each project, DIR/workspace.yml their metadata. Without it: the checkout (CI_PROJECT_DIR) and the GitLab API.',
    commands: [...ALL, 'evaluate', 'schedule'],
  },
  project: {
    type: 'string',
    value: 'PATH',
    description: 'Full path of the project whose pipeline is composed. Default in a CI job: CI_PROJECT_PATH.',
    commands: WITH_POLICIES,
  },
  'gitlab-url': {
    type: 'string',
    value: 'URL',
    description: 'GitLab to read from, outside workspace mode. Default: CI_SERVER_URL. Token: POLICY_SIDECAR_TOKEN, else CI_JOB_TOKEN (serve: POLICY_SIDECAR_TOKEN only).',
    commands: [...WITH_POLICIES, 'serve'],
  },
  'http-timeout': {
    type: 'string',
    value: 'SECONDS',
    description: 'Outside workspace mode: seconds to wait for GitLab to connect or answer, per request. Default: 30.',
    commands: [...WITH_POLICIES, 'serve'],
  },
  'http-retries': {
    type: 'string',
    value: 'N',
    description: 'Outside workspace mode: retries of a GitLab request after 5xx, 429 or a network error, with backoff. Default: 4.',
    commands: [...WITH_POLICIES, 'serve'],
  },
  'cache-dir': {
    type: 'string',
    value: 'DIR',
    description: 'Keep files read from the GitLab API here by ETag across runs. Default: POLICY_SIDECAR_CACHE_DIR, else no cache.',
    commands: PIPELINE,
  },
  'policy-project': {
    type: 'string',
    multiple: true,
    value: 'PATH',
    description:
      'A security policy project whose .gitlab/security-policies/policy.yml applies. Repeatable, in hierarchy order: top-most group first, the project\'s own last. Default: POLICY_SIDECAR_POLICY_PROJECTS (comma-separated), else the projects GitLab links to the project and its groups.',
    commands: WITH_POLICIES,
  },
  'policy-limit': {
    type: 'string',
    value: 'N',
    description: 'Pipeline execution policies read from one policy project. Default: 5, as GitLab.',
    commands: PIPELINE,
  },
  'pipeline-policy-limit': {
    type: 'string',
    value: 'N',
    description: 'Pipeline execution policies applied to one pipeline; higher in the hierarchy wins. Default: 5, as GitLab.',
    commands: PIPELINE,
  },
  templates: {
    type: 'string',
    value: 'DIR',
    description:
      "Scan templates of scan execution policies: DIR/<scan>.yml and DIR/<scan>.latest.yml replace policy-sidecar's own (templates/scans/) file by file. DIR may instead be a folder of a project, read like policies (GitLab API, or the workspace): project:<full/path>[@<ref>][:<folder>], e.g. project:platform/scan-templates@v2:scans (docs/scan-templates.md).",
    commands: PIPELINE,
  },
  'fail-open': {
    type: 'boolean',
    description:
      'If policies cannot be read or are invalid, compose the project pipeline without them (with a warning) instead of failing. Default: fail closed.',
    commands: PIPELINE,
  },
  'dry-run': {
    type: 'boolean',
    description: 'Print the composed YAML and a diff against the project\'s own pipeline; write no files.',
    commands: ['compose'],
  },
  'config-path': {
    type: 'string',
    value: 'FILE',
    description: "The project's CI configuration file (CI_CONFIG_PATH). Default: .gitlab-ci.yml.",
    commands: PIPELINE,
  },
  source: {
    type: 'string',
    value: 'S',
    description:
      'Pipeline source (CI_PIPELINE_SOURCE): push, merge_request_event, schedule, web, api, trigger, pipeline... Default: merge_request_event with --mr-target, else push.',
    commands: PIPELINE,
  },
  branch: {
    type: 'string',
    value: 'B',
    description: "Branch of the pipeline (the source branch for merge requests). Default: the project's default branch.",
    commands: PIPELINE,
  },
  tag: { type: 'string', value: 'T', description: 'Tag of a tag pipeline (excludes --branch).', commands: PIPELINE },
  'mr-target': {
    type: 'string',
    value: 'B',
    description: 'Target branch of the merge request: makes this a merge request pipeline.',
    commands: PIPELINE_AND_EVALUATE,
  },
  'mr-iid': {
    type: 'string',
    value: 'N',
    description: 'Merge request IID (CI_MERGE_REQUEST_IID). evaluate, without --workspace: the merge request whose approval rules and bot comment are kept up to date.',
    commands: PIPELINE_AND_EVALUATE,
  },
  sha: { type: 'string', value: 'SHA', description: 'Commit SHA of the pipeline (CI_COMMIT_SHA).', commands: PIPELINE },
  'before-sha': {
    type: 'string',
    value: 'SHA',
    description: 'Previous tip of the branch for push pipelines (CI_COMMIT_BEFORE_SHA), for rules:changes.',
    commands: PIPELINE,
  },
  var: {
    type: 'string',
    multiple: true,
    value: 'K=V',
    description: 'A variable from outside the YAML (project/group settings or pipeline variable). Repeatable.',
    commands: PIPELINE,
  },
  changed: {
    type: 'string',
    multiple: true,
    value: 'PATH',
    description: 'A path changed by the pipeline, for rules:changes. Repeatable. Default: git diff in the checkout, else unknown (changes match).',
    commands: PIPELINE,
  },
  'allow-remote-host': {
    type: 'string',
    multiple: true,
    value: 'HOST',
    description: 'A host include:remote may fetch from (exact, or *.example.com). Repeatable. Default: none.',
    commands: ALL,
  },
  out: { type: 'string', value: 'FILE', description: 'Write the composed YAML here (`-`: standard output). Default: standard output.', commands: ['compose'] },
  'pre-out': {
    type: 'string',
    value: 'FILE',
    description:
      "Two-file layout: write the policy pre jobs that must succeed to FILE, as a pipeline of their own that the component triggers before the composed one (policy:pre), so GitLab creates no project job after a failed pre job. Default: one file, with a shell guard (docs/pipeline-execution-policies.md).",
    commands: ['compose'],
  },
  report: { type: 'string', value: 'FILE', description: 'Write the JSON report here.', commands: ['compose', 'explain', 'evaluate'] },
  junit: { type: 'string', value: 'FILE', description: 'Write a JUnit report (one test case per policy) here, for the merge request widget.', commands: ['compose', 'evaluate'] },
  reports: {
    type: 'string',
    value: 'DIR',
    description: "evaluate: folder holding the merge request pipeline's security reports and SBOMs (every file is read). Without --workspace and without it: the pipeline's job artifacts (CI_PIPELINE_ID).",
    commands: ['evaluate'],
  },
  'target-reports': {
    type: 'string',
    value: 'DIR',
    description: "evaluate: folder holding the target branch's latest reports. Absent with --workspace: there is no target pipeline. Without --workspace and without it: the artifacts of the target branch's latest successful pipeline.",
    commands: ['evaluate'],
  },

  summary: {
    type: 'boolean',
    description: 'Print a short summary of the composed pipeline to standard error.',
    commands: ['compose'],
  },
  port: { type: 'string', value: 'N', description: 'serve: TCP port to listen on. Default: 8080.', commands: ['serve'] },
  host: { type: 'string', value: 'H', description: 'serve: address to listen on. Default: 0.0.0.0 (all IPv4 interfaces).', commands: ['serve'] },
  'required-job': {
    type: 'string',
    multiple: true,
    value: 'NAME',
    description:
      "serve: a job of the composed child pipeline that must succeed. Repeatable. Default: POLICY_SIDECAR_REQUIRED_JOBS (comma-separated), else the jobs whose origin is policy in policy:compose's policy-report.json.",
    commands: ['serve'],
  },
  'wait-timeout': {
    type: 'string',
    value: 'MINUTES',
    description: 'serve: how long to wait for a running pipeline before answering failed. Default: 60.',
    commands: ['serve'],
  },
  at: {
    type: 'string',
    value: 'TIME',
    description: 'schedule: the instant (ISO 8601, e.g. 2025-06-01T02:00:00Z) the plan is made for: which scans are due. Default: now.',
    commands: ['schedule'],
  },
  apply: {
    type: 'boolean',
    description: 'schedule, without --workspace: create, update and delete our GitLab pipeline schedules. Default: dry run (print the changes).',
    commands: ['schedule'],
  },
  'log-level': {
    type: 'string',
    value: 'LEVEL',
    description: 'fatal, error, warn, info, debug or trace. Default: info. debug also prints stack traces of errors.',
    commands: [...ALL, 'serve', 'evaluate', 'schedule'],
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  },
  help: { type: 'boolean', description: 'Show help for the command.', commands: [...ALL, 'serve', 'evaluate', 'schedule'] },
} as const satisfies Record<string, OptionDefinition>;

export type OptionName = keyof typeof OPTIONS;

type ValueOf<D> = D extends { type: 'boolean' }
  ? boolean
  : D extends { multiple: true }
    ? readonly string[]
    : string | undefined;

type OptionsOf<C extends CommandName> = {
  [K in OptionName as C extends (typeof OPTIONS)[K]['commands'][number] ? CamelCase<K> : never]: ValueOf<(typeof OPTIONS)[K]>;
};

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

export type CommandOptions<C extends CommandName> = OptionsOf<C>;

export function optionsFor(command: CommandName): [OptionName, OptionDefinition][] {
  return (Object.entries(OPTIONS) as [OptionName, OptionDefinition][]).filter(([, definition]) =>
    definition.commands.includes(command),
  );
}

export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
