/**
 * `evaluate`'s approval verdict of a merge request pipeline (docs/store.md): which approval
 * policies it evaluated (by digest, as compose's `pipeline_policy_version`), violated or not,
 * approvals required, the exit code, and how the verdict was enforced. Tables of their own, keyed
 * by project and pipeline id like `pipeline_record` but not hanging off it: compose rewrites its
 * record and its policy rows, evaluate rewrites these, and either may run first, or twice, without
 * erasing the other's. No foreign key to `policy_version`: evaluate names what it read, which the
 * store may not have synced.
 */
export const sql = `
CREATE TABLE pipeline_approval (
  id                 bigserial PRIMARY KEY,
  project_path       text NOT NULL,
  pipeline_id        bigint NOT NULL,
  -- null when evaluate was given a target branch and no merge request (--mr-target only).
  merge_request_iid  bigint,
  target_branch      text NOT NULL,
  -- passed, violated (a violated policy requires approval: exit 1), violated-optional (approvals_required 0).
  result             text NOT NULL,
  exit_code          integer NOT NULL,
  -- approval-rules (GitLab's approval rules gate the merge), unavailable (the job's exit code does), none (no merge request written).
  enforcement        text NOT NULL,
  -- The evaluate --report JSON: every policy's reasons and findings.
  detail             jsonb NOT NULL,
  evaluated_at       timestamptz NOT NULL,
  UNIQUE (project_path, pipeline_id)
);
CREATE INDEX pipeline_approval_recent ON pipeline_approval(project_path, evaluated_at DESC);

CREATE TABLE pipeline_approval_policy (
  pipeline_approval_id  bigint NOT NULL REFERENCES pipeline_approval(id) ON DELETE CASCADE,
  policy_id             text NOT NULL,
  -- The content digest of what evaluate read (sync/policy-content.ts), null when it could not re-read the policy file.
  digest                text,
  name                  text NOT NULL,
  applied               boolean NOT NULL,
  violated              boolean NOT NULL,
  approvals_required    integer NOT NULL,
  findings              integer NOT NULL,
  PRIMARY KEY (pipeline_approval_id, policy_id)
);
CREATE INDEX pipeline_approval_policy_policy ON pipeline_approval_policy(policy_id, digest);
`;
