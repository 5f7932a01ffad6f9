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
  sync: {
    summary: 'Read the policy projects and the projects in their scope into the policy store: policies, versions, projects, which policies apply where and why (docs/store.md).',
    usage: 'policy-sidecar sync [--workspace DIR | --group PATH] --policy-project PATH... [--central-config FILE@PROJECT] [--store DIR | --database-url URL]',
    positionals: false,
  },
  policies: {
    summary: 'Ask the policy store about policies: list, show ID, history ID, diff ID V1 V2 (docs/store.md).',
    usage: 'policy-sidecar policies list|show ID|history ID|diff ID V1 V2 [--format table|json] [--store DIR | --database-url URL]',
    positionals: true,
  },
  projects: {
    summary: 'Ask the policy store about a project: which policies apply and why, its last pipeline, compliant or not (docs/store.md).',
    usage: 'policy-sidecar projects show PATH [--format table|json] [--store DIR | --database-url URL]',
    positionals: true,
  },
  coverage: {
    summary: 'Which projects ran a version of a policy, which did not, and which are not enforced (docs/store.md).',
    usage: 'policy-sidecar coverage --policy ID [--version V] [--since TIME] [--format table|json] [--store DIR | --database-url URL]',
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
/** Commands that only talk to the policy store. */
const STORE_QUESTIONS: readonly CommandName[] = ['policies', 'projects', 'coverage'];
/** Commands that open the policy store (compose and evaluate only with --store or --database-url). */
const WITH_STORE: readonly CommandName[] = ['sync', ...STORE_QUESTIONS, 'compose', 'explain', 'serve'];

export const OPTIONS = {
  workspace: {
    type: 'string',
    value: 'DIR',
    description: 'Offline mode: DIR/<project path>/ holds each project, DIR/workspace.yml their metadata. Without it: the checkout (CI_PROJECT_DIR) and the GitLab API.',
    commands: [...ALL, 'evaluate', 'schedule', 'sync'],
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
    commands: [...WITH_POLICIES, 'serve', 'sync'],
  },
  'http-timeout': {
    type: 'string',
    value: 'SECONDS',
    description: 'Outside workspace mode: seconds to wait for GitLab to connect or answer, per request. Default: 30.',
    commands: [...WITH_POLICIES, 'serve', 'sync'],
  },
  'http-retries': {
    type: 'string',
    value: 'N',
    description: 'Outside workspace mode: retries of a GitLab request after 5xx, 429 or a network error, with backoff. Default: 4.',
    commands: [...WITH_POLICIES, 'serve', 'sync'],
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
    commands: [...WITH_POLICIES, 'sync'],
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
  out: { type: 'string', value: 'FILE', description: 'Write the composed YAML here. Default: standard output.', commands: ['compose'] },
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
  store: {
    type: 'string',
    value: 'DIR',
    description:
      'The policy store, embedded (PGlite): a folder, created on first use. sync, policies, projects, coverage: default POLICY_SIDECAR_STORE, else .policy-sidecar/store. serve: POLICY_SIDECAR_STORE, else none. compose, explain: no store unless given, and never from a variable (docs/store.md).',
    commands: WITH_STORE,
  },
  'database-url': {
    type: 'string',
    value: 'URL',
    description:
      'The policy store on a PostgreSQL server (postgres://user@host/db; the password from PGPASSWORD or the URL), shared by runners and serve replicas. sync, policies, projects, coverage, serve: default POLICY_SIDECAR_DATABASE_URL. compose, explain: only this flag. serve: answers the store questions read-only under /store/ (token POLICY_SIDECAR_STORE_API_TOKEN).',
    commands: WITH_STORE,
  },
  'policies-from': {
    type: 'string',
    value: 'FROM',
    description: 'compose, explain: read the policies from the GitLab API or workspace (api, the default) or from the policy store as last synced (store: one query; needs --store or --database-url).',
    commands: PIPELINE,
    choices: ['api', 'store'],
  },
  'pipeline-id': {
    type: 'string',
    value: 'N',
    description: 'compose, with a store: the pipeline id recorded. Default: CI_PIPELINE_ID. Without either, nothing is recorded.',
    commands: ['compose'],
  },
  group: {
    type: 'string',
    value: 'PATH',
    description: 'sync, outside workspace mode: the projects in scope are those of this group and its subgroups (archived ones left out). Workspace mode: every project of the workspace.',
    commands: ['sync'],
  },
  'central-config': {
    type: 'string',
    value: 'FILE@PROJECT',
    description: "sync: the central CI configuration file (e.g. pipeline.yml@platform/ci): a project is enforced when its CI/CD configuration file setting is this. Without it: enforced is unknown.",
    commands: ['sync'],
  },
  policy: { type: 'string', value: 'ID', description: 'coverage: the policy (id, or its name when unique).', commands: ['coverage'] },
  version: { type: 'string', value: 'V', description: 'coverage: the version number of the policy. Default: the current one.', commands: ['coverage'] },
  since: {
    type: 'string',
    value: 'TIME',
    description: 'coverage: count only pipelines recorded since TIME (ISO 8601, or 7d, 24h). Default: all.',
    commands: ['coverage'],
  },
  format: {
    type: 'string',
    value: 'F',
    description: 'table (for people, the default) or json.',
    commands: ['sync', ...STORE_QUESTIONS],
    choices: ['table', 'json'],
  },
  'log-level': {
    type: 'string',
    value: 'LEVEL',
    description: 'fatal, error, warn, info, debug or trace. Default: info. debug also prints stack traces of errors.',
    commands: [...ALL, 'serve', 'evaluate', 'schedule', 'sync', ...STORE_QUESTIONS],
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  },
  help: { type: 'boolean', description: 'Show help for the command.', commands: [...ALL, 'serve', 'evaluate', 'schedule', 'sync', ...STORE_QUESTIONS] },
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
