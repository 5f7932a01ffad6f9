/**
 * The one option table. The argv parser, every `--help` text and docs/cli.md are generated from
 * it, so a flag is declared once (STYLE.md: "the same list twice" is what we avoid).
 */

export const COMMANDS = {
  compose: {
    summary: "Compose the project's pipeline with its pipeline and scan execution policies into one self-contained child pipeline that enforces them.",
    usage: 'policy-sidecar compose (--workspace DIR | --gitlab-url URL) --project PATH [options]  |  compose --job --job-env-file FILE --gitlab-url URL [options]',
    positionals: false,
  },
  explain: {
    summary: 'Say, for people, why each job is in the composed pipeline or not, and where it came from.',
    usage: 'policy-sidecar explain (--workspace DIR | --gitlab-url URL) --project PATH [options]  |  explain --job --job-env-file FILE --gitlab-url URL [options]',
    positionals: false,
  },
  validate: {
    summary: 'Check CI configuration files (syntax, includes, extends, !reference, jobs) and policy files (the policy schema) without composing.',
    usage: 'policy-sidecar validate FILE|DIR... [options]',
    positionals: true,
  },
  evaluate: {
    summary: 'Judge the merge request against approval policies from the security reports of its pipeline and of the target branch (docs/merge-gating.md).',
    usage:
      'policy-sidecar evaluate [--workspace DIR] --project PATH --reports DIR [--target-reports DIR] --mr-target BRANCH [--store DIR | --database-url URL] [options]  |  evaluate ... --branch BRANCH (--store DIR | --database-url URL): record the default branch\'s findings',
    positionals: false,
  },
  serve: {
    summary: "Run the external status check service: GitLab asks it about a merge request, it answers whether the head commit's policy jobs passed (docs/status-checks.md).",
    usage: 'policy-sidecar serve [--port N] [--host H] [options]',
    positionals: false,
  },
  verify: {
    summary: "Verify a pipeline from GitLab's own records, outside the project: it came from the central configuration, every required policy job ran, in order, and succeeded (docs/verify.md).",
    usage: 'policy-sidecar verify --project PATH --pipeline ID [--publish] [--report FILE] [options]',
    positionals: false,
  },
  schedule: {
    summary: 'Plan the scheduled scans of scan execution policies (type: schedule rules) and keep GitLab pipeline schedules in line with it (docs/schedules.md).',
    usage: 'policy-sidecar schedule [--workspace DIR] --project PATH [--policy-project PATH]... [--at TIME] [--apply]',
    positionals: false,
  },
  audit: {
    summary: "Report, for every project of a group, whether its CI configuration file is the central one, which policies apply, its latest default-branch pipeline and verdict, and drift (docs/fleet.md).",
    usage: 'policy-sidecar audit --group PATH --central-config FILE@PROJECT [--format table|jsonl|csv|html] [--out FILE] [--checkpoint FILE] [--shard I/N] | audit --merge FILE... [--format F] [--out FILE]',
    positionals: false,
  },
  rollout: {
    summary: "Point the CI configuration file setting of a group's projects at the central file: a plan by default, --apply to change, --undo to restore (docs/fleet.md).",
    usage: 'policy-sidecar rollout --group PATH --central-config FILE@PROJECT [--apply --undo-file FILE [--canary N]] | rollout --undo FILE',
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
  findings: {
    summary: "The default branch's findings that evaluate recorded in the policy store, and people's decisions on them: list, dismiss, confirm, reopen (docs/store.md).",
    usage: 'policy-sidecar findings list --project PATH [--state S] [--format table|json] | findings dismiss|confirm|reopen --project PATH ID... [--reason TEXT] [--store DIR | --database-url URL]',
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
/** Commands over every project of a group (src/fleet). */
const FLEET: readonly CommandName[] = ['audit', 'rollout'];
/** Commands that only talk to the policy store. */
const STORE_QUESTIONS: readonly CommandName[] = ['policies', 'projects', 'coverage', 'findings'];
/** Commands that open the policy store (compose and evaluate only with --store or --database-url). */
const WITH_STORE: readonly CommandName[] = ['sync', ...STORE_QUESTIONS, 'compose', 'explain', 'serve', 'audit', 'evaluate'];

export const OPTIONS = {
  workspace: {
    type: 'string',
    value: 'DIR',
    description: 'Offline mode: DIR/<project path>/ holds each project, DIR/workspace.yml their metadata. Without it: the checkout (the working folder) and the GitLab API.',
    commands: [...ALL, 'evaluate', 'schedule', 'verify', 'sync'],
  },
  job: {
    type: 'boolean',
    description:
      "Inside a GitLab CI job (the components pass it): the project, pipeline id and source, ref, SHA and merge request come from GitLab through the job token (GET /job), never from CI_* variables; a job variable that disagrees, or a checkout whose HEAD is not GitLab's SHA, fails closed. Settings come from flags only: --gitlab-url is required, and no variable (CI_SERVER_URL, POLICY_SIDECAR_*, proxy, CA) is read. Needs --job-env-file.",
    commands: PIPELINE_AND_EVALUATE,
  },
  'job-env-file': {
    type: 'string',
    value: 'FILE',
    description:
      "With --job: the job's environment, NUL-separated NAME=value entries (/proc/self/environ of a process the job's shell started; /dev/stdin for a pipe). Read as untrusted data: variables for rules, CI_* only to compare with GitLab's facts, and the tokens (POLICY_SIDECAR_TOKEN, CI_JOB_TOKEN).",
    commands: PIPELINE_AND_EVALUATE,
  },
  project: {
    type: 'string',
    value: 'PATH',
    description: "Full path of the project whose pipeline is composed (evaluate: judged; findings: whose findings). With --job: GitLab's project of the job (a different --project fails).",
    commands: [...WITH_POLICIES, 'verify', 'findings'],
  },
  'gitlab-url': {
    type: 'string',
    value: 'URL',
    description:
      'GitLab to read from, outside workspace mode. Required with --job. Otherwise default: CI_SERVER_URL. Token: POLICY_SIDECAR_TOKEN, else CI_JOB_TOKEN (serve: POLICY_SIDECAR_TOKEN only); with --job both from --job-env-file.',
    commands: [...WITH_POLICIES, 'serve', ...FLEET, 'verify', 'sync'],
  },
  proxy: {
    type: 'string',
    value: 'URL',
    description:
      'HTTP(S) proxy for every GitLab and include:remote request. With --job the only proxy setting; otherwise it replaces HTTPS_PROXY/HTTP_PROXY (NO_PROXY still applies), which a terminal run honours.',
    commands: [...WITH_POLICIES, 'serve', ...FLEET, 'verify', 'sync'],
  },
  'ca-file': {
    type: 'string',
    value: 'FILE',
    description:
      'PEM file of extra CA certificates for GitLab (a private CA), added to the default ones. With --job the only CA setting; otherwise NODE_EXTRA_CA_CERTS and CI_SERVER_TLS_CA_FILE are honoured too.',
    commands: [...WITH_POLICIES, 'serve', ...FLEET, 'verify', 'sync'],
  },
  'http-timeout': {
    type: 'string',
    value: 'SECONDS',
    description: 'Outside workspace mode: seconds to wait for GitLab to connect or answer, per request. Default: 30.',
    commands: [...WITH_POLICIES, 'serve', ...FLEET, 'verify', 'sync'],
  },
  'http-retries': {
    type: 'string',
    value: 'N',
    description: 'Outside workspace mode: retries of a GitLab request after 5xx, 429 or a network error, with backoff. Default: 4.',
    commands: [...WITH_POLICIES, 'serve', ...FLEET, 'verify', 'sync'],
  },
  'cache-dir': {
    type: 'string',
    value: 'DIR',
    description: 'Keep files read from the GitLab API here by ETag across runs. Default: no cache (outside --job: POLICY_SIDECAR_CACHE_DIR).',
    commands: [...PIPELINE, 'verify'],
  },
  'policy-project': {
    type: 'string',
    multiple: true,
    value: 'PATH',
    description:
      'A security policy project whose .gitlab/security-policies/policy.yml applies. Repeatable, in hierarchy order: top-most group first, the project\'s own last. Default: the projects GitLab links to the project and its groups; outside --job, POLICY_SIDECAR_POLICY_PROJECTS (comma-separated) first; in workspace mode, none.',
    commands: [...WITH_POLICIES, 'audit', 'serve', 'verify', 'sync'],
  },
  'allow-no-policies': {
    type: 'boolean',
    description:
      'Succeed even when no policy is read (no policy project given or linked, or none holding a policy). Default: compose (except a dry run) and evaluate fail with no-policies; a warning is printed either way.',
    commands: ['compose', 'evaluate'],
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
    commands: [...PIPELINE, 'serve', 'verify'],
  },
  'ci-templates': {
    type: 'string',
    value: 'DIR',
    description:
      "Outside workspace mode: GitLab's CI templates for include:template, as a copy of lib/gitlab/ci/templates/ (scripts/mirror-ci-templates.sh makes one): a local DIR, or project:<full/path>[@<ref>][:<folder>]. GitLab's templates API serves only names without a folder (not Jobs/SAST.gitlab-ci.yml). Default: that API, flat names only (docs/gitlab-api.md).",
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
    description: 'Print a diff against the project\'s own pipeline, then the composed YAML; write no files. Zero policies only warn here.',
    commands: ['compose'],
  },
  'config-path': {
    type: 'string',
    value: 'FILE',
    description: "The project's CI configuration file (CI_CONFIG_PATH). Default: .gitlab-ci.yml. verify, serve: the file the central compose job composes (its component input config_path).",
    commands: [...PIPELINE, 'serve', 'verify'],
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
    description:
      "Branch of the pipeline (the source branch for merge requests). Default: the project's default branch. evaluate: a branch pipeline, not a merge request: with a store, the default branch's findings are recorded (docs/store.md); no approval policy is judged.",
    commands: [...PIPELINE, 'evaluate'],
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
    description: 'Merge request IID (CI_MERGE_REQUEST_IID). evaluate, without --workspace: the merge request whose approval rules and bot comment are kept up to date. Not with --job (GitLab says).',
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
    commands: [...ALL, 'serve', 'verify'],
  },
  out: {
    type: 'string',
    value: 'FILE',
    description: 'Write the composed YAML (compose) or the report (audit, rollout) here; `-` is standard output. Default: standard output.',
    commands: ['compose', ...FLEET],
  },
  'pre-out': {
    type: 'string',
    value: 'FILE',
    description:
      "Two-file layout: write the policy pre jobs that must succeed to FILE, as a pipeline of their own that the component triggers before the composed one (policy:pre), so GitLab creates no project job after a failed pre job; `-` is standard output (then --out names a file). Default: one file, with a shell guard (docs/pipeline-execution-policies.md).",
    commands: ['compose'],
  },
  report: { type: 'string', value: 'FILE', description: 'Write the JSON report here; `-` is standard output where nothing else goes there (compose with --out FILE).', commands: ['compose', 'explain', 'evaluate', 'verify'] },
  junit: { type: 'string', value: 'FILE', description: 'Write a JUnit report (one test case per policy) here, for the merge request widget; `-` as for --report.', commands: ['compose', 'evaluate'] },
  reports: {
    type: 'string',
    value: 'DIR',
    description: "evaluate: folder holding the merge request pipeline's security reports and SBOMs (every file is read). Without --workspace and without it: the job artifacts of the job's pipeline (--job), else of the merge request's head pipeline.",
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
    description:
      'schedule (API mode only): create, update and delete our GitLab pipeline schedules. rollout: change the CI configuration file setting. Default: dry run (print the changes).',
    commands: ['schedule', 'rollout'],
  },
  group: {
    type: 'string',
    value: 'PATH',
    description: 'audit, rollout, sync: the group whose projects are covered, subgroups included, archived projects left out. sync in workspace mode: every project of the workspace.',
    commands: [...FLEET, 'sync'],
  },
  format: {
    type: 'string',
    value: 'F',
    description: 'audit, rollout: table (default), jsonl (one JSON object per project; what audit merges from shards), csv, or html (one self-contained page, sortable and filterable). sync, policies, projects, coverage, findings: table (default) or json.',
    commands: [...FLEET, 'sync', ...STORE_QUESTIONS],
    choices: ['table', 'json', 'jsonl', 'csv', 'html'],
  },
  checkpoint: {
    type: 'string',
    value: 'FILE',
    description: 'audit, rollout: record progress here after each project; the same command with the same file resumes an interrupted run (needs --out). Default: no checkpoint.',
    commands: FLEET,
  },
  shard: {
    type: 'string',
    value: 'I/N',
    description: 'audit, rollout: take the I-th of N parts of the group (by project id). Default: CI_NODE_INDEX/CI_NODE_TOTAL in a job with parallel: N, else the whole group.',
    commands: FLEET,
  },
  concurrency: {
    type: 'string',
    value: 'N',
    description: 'audit, rollout: projects worked on at once. Default: 8.',
    commands: FLEET,
  },
  merge: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    description: "audit: join the shards' --format jsonl outputs into one report (in --format) instead of reading GitLab. Repeatable.",
    commands: ['audit'],
  },
  'undo-file': {
    type: 'string',
    value: 'FILE',
    description: 'rollout --apply: append the previous setting of every project changed here (JSON lines), before changing it. Required with --apply.',
    commands: ['rollout'],
  },
  undo: {
    type: 'string',
    value: 'FILE',
    description: 'rollout: restore the settings an undo file recorded, where the project still has the value rollout set (with --apply; a plan otherwise).',
    commands: ['rollout'],
  },
  canary: {
    type: 'string',
    value: 'N',
    description: "rollout --apply: change N projects first, start a pipeline on each one's default branch, wait until each passed and carries a successful policy-sidecar/verified commit status, then change the rest.",
    commands: ['rollout'],
  },
  'canary-timeout': {
    type: 'string',
    value: 'MINUTES',
    description: 'rollout --canary: how long to wait for the canary pipelines and their verdicts. Default: 60.',
    commands: ['rollout'],
  },
  store: {
    type: 'string',
    value: 'DIR',
    description:
      'The policy store, embedded (PGlite): a folder, created on first use. sync, policies, projects, coverage, findings: default POLICY_SIDECAR_STORE, else .policy-sidecar/store. serve: POLICY_SIDECAR_STORE, else none. compose, explain, audit, evaluate: no store unless given, and never from a variable; audit writes one row per project; evaluate records default-branch findings and reads their states (docs/store.md).',
    commands: WITH_STORE,
  },
  'database-url': {
    type: 'string',
    value: 'URL',
    description:
      'The policy store on a PostgreSQL server (postgres://user@host/db; the password from PGPASSWORD or the URL), shared by runners and serve replicas. sync, policies, projects, coverage, findings, serve: default POLICY_SIDECAR_DATABASE_URL. compose, explain, evaluate: only this flag. serve: answers the store questions read-only under /store/ (token POLICY_SIDECAR_STORE_API_TOKEN).',
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
    description: "compose, with a store: the pipeline id recorded. Default: CI_PIPELINE_ID. Without either, nothing is recorded. evaluate, with a store, on a merge request: the pipeline whose approval verdict is recorded; on the default branch: the pipeline whose findings are recorded, in pipeline id order (not with --job: GitLab's).",
    commands: ['compose', 'evaluate'],
  },
  policy: { type: 'string', value: 'ID', description: 'coverage: the policy (id, or its name when unique).', commands: ['coverage'] },
  state: {
    type: 'string',
    value: 'S',
    description: 'findings list: only the findings in this state.',
    commands: ['findings'],
    choices: ['detected', 'confirmed', 'dismissed', 'resolved'],
  },
  reason: {
    type: 'string',
    value: 'TEXT',
    description: 'findings dismiss|confirm|reopen: why, kept with the state (findings list shows it).',
    commands: ['findings'],
  },
  version: { type: 'string', value: 'V', description: 'coverage: the version number of the policy. Default: the current one.', commands: ['coverage'] },
  since: {
    type: 'string',
    value: 'TIME',
    description: 'coverage: count only pipelines recorded since TIME (ISO 8601, or 7d, 24h). Default: all.',
    commands: ['coverage'],
  },
  'log-level': {
    type: 'string',
    value: 'LEVEL',
    description: 'fatal, error, warn, info, debug or trace. Default: info. debug also prints stack traces of errors.',
    commands: [...ALL, 'serve', 'evaluate', 'schedule', ...FLEET, 'verify', 'sync', ...STORE_QUESTIONS],
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  },
  pipeline: { type: 'string', value: 'ID', description: 'verify: the pipeline to verify (the number in its URL).', commands: ['verify'] },
  records: {
    type: 'string',
    value: 'DIR',
    description: "verify, with --workspace: a folder of recorded GitLab API answers for the project's pipeline (docs/verify.md) instead of the GitLab API.",
    commands: ['verify'],
  },
  publish: {
    type: 'boolean',
    description: 'verify: post the verdict as the commit status policy-sidecar/verified, a merge request note on failure and the external status check answer where the tier has them. serve always does.',
    commands: ['verify'],
  },
  'central-config': {
    type: 'string',
    value: 'FILE@PROJECT',
    description: "The central CI configuration file every project's CI/CD configuration file setting must name, as the setting holds it, e.g. pipeline.yml@platform/ci: a project is enforced when its setting is exactly this. audit, rollout: required (rollout sets it). verify, serve: default POLICY_SIDECAR_CENTRAL_CONFIG. sync: without it, enforced is unknown.",
    commands: ['verify', 'serve', 'sync', ...FLEET],
  },
  help: { type: 'boolean', description: 'Show help for the command.', commands: [...ALL, 'serve', 'evaluate', 'schedule', ...FLEET, 'verify', 'sync', ...STORE_QUESTIONS] },
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
